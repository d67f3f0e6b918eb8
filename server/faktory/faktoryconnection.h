// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "faktorycommandparser.h"

#include "engine.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>

class QTcpSocket;

namespace QueueDeck::Faktory {

// One client connection: reads lines, hands them out one at a time and writes one answer per
// line, in order (a pipelined line waits until the one before it is answered). Lives on the
// thread of its service; owned by it.
class FaktoryConnection final : public QObject
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FaktoryConnection)
public:
    using Dispatch = std::function<void(FaktoryConnection *, const FaktoryLine &)>;

    FaktoryConnection(QTcpSocket *socket, qint64 maxLineBytes, Dispatch dispatch,
                      QObject *parent = nullptr);
    ~FaktoryConnection() override;

    // Writes the greeting; the connection is closed unless a HELLO is accepted within timeoutMs.
    void greet(const QByteArray &greeting, int timeoutMs);
    // The answer to the line being handled; the next line (if any) is handed out after it.
    void answer(const QByteArray &reply);
    // Answers, then closes once the answer is written.
    void answerAndClose(const QByteArray &reply);
    void close();
    bool isGone() const { return m_gone; }
    qint64 bytesToWrite() const;

    // Set by the service after HELLO.
    bool identified = false;
    QString salt;
    int iterations = 0;
    QString wid; // empty for a producer
    // Set when the client leaves: a FETCH parked for it then takes nothing more.
    LeaseWithdrawal withdrawn = std::make_shared<std::atomic<bool>>(false);

Q_SIGNALS:
    void closed(FaktoryConnection *connection);

private:
    void handleReadyRead();
    void handleNext();
    void handleDisconnected();

    QTcpSocket *m_socket;
    FaktoryCommandParser m_parser;
    Dispatch m_dispatch;
    QTimer m_handshakeTimer;
    bool m_busy = false;
    bool m_gone = false;
    bool m_closing = false;
};

} // namespace QueueDeck::Faktory
