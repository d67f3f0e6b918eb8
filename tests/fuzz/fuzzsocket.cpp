// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "fuzzsocket.h"

#include <cstring>

namespace QueueDeck::Fuzz {

FuzzSocket::FuzzSocket(QObject *parent) : QTcpSocket(parent)
{
    setOpenMode(QIODevice::ReadWrite | QIODevice::Unbuffered);
    setSocketState(QAbstractSocket::ConnectedState);
}

void FuzzSocket::feed(const QByteArray &bytes)
{
    m_unread.append(bytes);
    Q_EMIT readyRead();
}

qint64 FuzzSocket::bytesAvailable() const
{
    return m_unread.size() + QIODevice::bytesAvailable();
}

void FuzzSocket::disconnectFromHost()
{
    if (state() == QAbstractSocket::UnconnectedState)
        return;
    setSocketState(QAbstractSocket::UnconnectedState);
    Q_EMIT disconnected();
}

qint64 FuzzSocket::readData(char *data, qint64 maxSize)
{
    const qint64 count = qMin(maxSize, qint64(m_unread.size()));
    if (count > 0)
        std::memcpy(data, m_unread.constData(), size_t(count));
    m_unread.remove(0, qsizetype(count));
    return count;
}

qint64 FuzzSocket::writeData(const char *data, qint64 size)
{
    if (state() != QAbstractSocket::ConnectedState)
        return -1;
    m_written.append(data, qsizetype(size));
    return size;
}

} // namespace QueueDeck::Fuzz
