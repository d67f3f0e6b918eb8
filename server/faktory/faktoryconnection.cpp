// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "faktoryconnection.h"

#include <QTcpSocket>

namespace QueueDeck::Faktory {

namespace {
// Lines read ahead of the one being answered; beyond it the socket is not read (back pressure).
constexpr qsizetype MaxPendingLines = 64;
} // namespace

FaktoryConnection::FaktoryConnection(QTcpSocket *socket, qint64 maxLineBytes, Dispatch dispatch,
                                     QObject *parent)
    : QObject(parent), m_socket(socket), m_parser(maxLineBytes), m_dispatch(std::move(dispatch))
{
    m_socket->setParent(this);
    connect(m_socket, &QTcpSocket::readyRead, this, &FaktoryConnection::handleReadyRead);
    connect(m_socket, &QTcpSocket::disconnected, this, &FaktoryConnection::handleDisconnected);
    connect(m_socket, &QTcpSocket::bytesWritten, this, [this] {
        if (m_closing && m_socket->bytesToWrite() == 0)
            m_socket->disconnectFromHost();
    });
    m_handshakeTimer.setSingleShot(true);
    connect(&m_handshakeTimer, &QTimer::timeout, this, [this] {
        if (!identified)
            close();
    });
}

FaktoryConnection::~FaktoryConnection()
{
    withdrawn->store(true);
}

void FaktoryConnection::greet(const QByteArray &greeting, int timeoutMs)
{
    m_socket->write(greeting);
    m_handshakeTimer.start(timeoutMs);
}

void FaktoryConnection::answer(const QByteArray &reply)
{
    if (m_gone)
        return;
    m_socket->write(reply);
    m_busy = false;
    if (identified)
        m_handshakeTimer.stop();
    // The next line on a fresh pass of the event loop: a long pipeline never recurses deeply.
    QMetaObject::invokeMethod(this, &FaktoryConnection::handleNext, Qt::QueuedConnection);
}

void FaktoryConnection::answerAndClose(const QByteArray &reply)
{
    if (m_gone)
        return;
    m_socket->write(reply);
    close();
}

void FaktoryConnection::close()
{
    if (m_gone)
        return;
    m_closing = true;
    m_busy = true; // nothing more is handled
    if (m_socket->bytesToWrite() == 0)
        m_socket->disconnectFromHost();
}

qint64 FaktoryConnection::bytesToWrite() const
{
    return m_gone ? 0 : m_socket->bytesToWrite();
}

void FaktoryConnection::handleReadyRead()
{
    if (m_parser.pendingLines() < MaxPendingLines)
        m_parser.append(m_socket->readAll());
    handleNext();
}

void FaktoryConnection::handleNext()
{
    if (m_gone || m_closing)
        return;
    if (!m_busy) {
        if (std::optional<FaktoryLine> line = m_parser.next()) {
            m_busy = true;
            m_dispatch(this, *line);
        }
    }
    // Read what waited in the socket while the pipeline was full.
    if (m_parser.pendingLines() < MaxPendingLines && m_socket->bytesAvailable() > 0)
        QMetaObject::invokeMethod(this, &FaktoryConnection::handleReadyRead, Qt::QueuedConnection);
}

void FaktoryConnection::handleDisconnected()
{
    if (m_gone)
        return;
    m_gone = true;
    withdrawn->store(true);
    Q_EMIT closed(this);
}

} // namespace QueueDeck::Faktory
