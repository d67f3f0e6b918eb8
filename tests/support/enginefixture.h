// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// Test support: an engine on a temporary data directory with a manual clock, and helpers that
// wait for an engine reply and fail the test with the server's message when it is an error.

#include "clock.h"
#include "engine.h"
#include "postgresharness.h"

#include <QTemporaryDir>
#include <QTest>

#include <memory>

namespace QueueDeck::Testing {

template <typename T> Result<T> await(QFuture<Result<T>> future)
{
    future.waitForFinished();
    return future.result();
}

inline const char *messageOf(const Error &error)
{
    static thread_local QByteArray text;
    text = (errorCodeName(error.code) + QStringLiteral(": ") + error.message).toUtf8();
    return text.constData();
}

// A task of type "job" with the given payload and priority.
inline EnqueueRequest job(const QByteArray &payload = "{}", int priority = 0)
{
    EnqueueRequest request;
    request.type = QStringLiteral("job");
    request.payload = payload;
    request.priority = priority;
    return request;
}

// A worker registration on the given queues.
inline RegisterRequest workerOn(const QStringList &queueIds, const Labels &labels = {},
                                const QString &workerId = {})
{
    RegisterRequest request;
    request.workerId = workerId;
    request.queueIds = queueIds;
    request.hostname = QStringLiteral("test-host");
    request.pid = 1;
    request.labels = labels;
    return request;
}

// The store the engine tests run on: SQLite unless QUEUEDECK_TEST_STORE=postgresql, which CTest
// sets for the second registration of each engine test (tests/CMakeLists.txt). The tests are the
// same; only the store under the engine differs.
inline bool testsOnPostgres()
{
    return qEnvironmentVariable("QUEUEDECK_TEST_STORE") == u"postgresql";
}

// A fresh database for one fixture on this process's PostgreSQL server; empty when the server
// could not be started (the reason is logged).
inline QString newPostgresDatabase()
{
    PostgresHarness &server = PostgresHarness::shared();
    if (!server.isRunning())
        return {};
    return server.createDatabase();
}

class EngineFixture
{
public:
    EngineFixture() : m_clock(std::make_unique<ManualClock>()) {}
    ~EngineFixture() { stop(); }

    bool start(EngineOptions options = {})
    {
        options.dataDirectory = m_dir.path();
        if (options.clusterKey.isEmpty())
            options.clusterKey = testClusterKey();
        if (testsOnPostgres() && options.databasePath.isEmpty()) {
            if (m_databaseUrl.isEmpty())
                m_databaseUrl = newPostgresDatabase();
            if (m_databaseUrl.isEmpty()) {
                qWarning("no PostgreSQL database for the engine: %s",
                         qPrintable(PostgresHarness::shared().error()));
                return false;
            }
            options.databasePath = m_databaseUrl;
        }
        m_engine = std::make_unique<Engine>(options, m_clock.get());
        auto started = m_engine->start();
        if (!started)
            qWarning("engine did not start: %s", messageOf(started.error()));
        return started.has_value();
    }
    void stop() { m_engine.reset(); }
    bool restart()
    {
        const EngineOptions options = m_engine ? m_engine->options() : EngineOptions{};
        stop();
        return start(options);
    }

    Engine &engine() { return *m_engine; }
    ManualClock &clock() { return *m_clock; }
    QString path() const { return m_dir.path(); }
    // Moves time on after the engine has run everything asked of it so far, then waits until it
    // has handled everything that became due.
    void advance(qint64 ms)
    {
        await(m_engine->listEnvironments());
        m_clock->advance(ms);
        await(m_engine->listEnvironments());
    }

private:
    QTemporaryDir m_dir;
    QString m_databaseUrl; // on PostgreSQL: this fixture's database, kept over restarts
    std::unique_ptr<ManualClock> m_clock;
    std::unique_ptr<Engine> m_engine;
};

} // namespace QueueDeck::Testing

// Declares `name` as the value of an engine reply, failing the test with the server's error.
#define QD_AWAIT(name, reply)                                                                      \
    auto name##_reply = ::QueueDeck::Testing::await(reply);                                        \
    QVERIFY2(name##_reply.has_value(),                                                             \
             name##_reply ? "" : ::QueueDeck::Testing::messageOf(name##_reply.error()));           \
    [[maybe_unused]] auto &name = *name##_reply

// Checks that an engine reply failed with the given code.
#define QD_EXPECT_ERROR(reply, expectedCode)                                                       \
    do {                                                                                           \
        auto failure = ::QueueDeck::Testing::await(reply);                                         \
        QVERIFY2(!failure.has_value(), "the call succeeded but should have failed");               \
        QCOMPARE(::QueueDeck::errorCodeName(failure.error().code),                                 \
                 ::QueueDeck::errorCodeName(expectedCode));                                        \
        QVERIFY(!failure.error().message.isEmpty());                                               \
    } while (false)

// Waits for a reply that carries no value.
#define QD_AWAIT_VOID(reply)                                                                       \
    do {                                                                                           \
        auto done = ::QueueDeck::Testing::await(reply);                                            \
        QVERIFY2(done.has_value(), done ? "" : ::QueueDeck::Testing::messageOf(done.error()));     \
    } while (false)
