// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QTcpSocket>

namespace QueueDeck::Fuzz {

// A connected TCP socket without a network: bytes given to feed() are what the connection reads,
// what it writes is kept in written(). Lets the HTTP request reader run on fuzz input without a
// kernel socket in between.
class FuzzSocket final : public QTcpSocket
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(FuzzSocket)
public:
    explicit FuzzSocket(QObject *parent = nullptr);

    // Makes `bytes` readable and says so (readyRead).
    void feed(const QByteArray &bytes);
    const QByteArray &written() const { return m_written; }

    qint64 bytesAvailable() const override;
    void disconnectFromHost() override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    QByteArray m_unread;
    QByteArray m_written;
};

} // namespace QueueDeck::Fuzz
