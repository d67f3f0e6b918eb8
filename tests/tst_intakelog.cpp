// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The intake log's file: CRC-32C by instruction and by table agree with the standard's check
// value; a task's record reads back as written; records read back in order after the log is
// opened again; reading stops at a record cut short or changed, and never reads what an older
// epoch left behind the newest record; a batch larger than one VFS call reads back whole; a file
// that is not a log is told apart.
#include "intakelog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>

using namespace QueueDeck;

namespace {

TaskRow taskRow(qint64 seq, bool everyField)
{
    TaskRow row;
    row.seq = seq;
    row.queueNum = 3;
    row.type = QStringLiteral("mail ✉");
    row.payload = QByteArray(R"({"n":)") + QByteArray::number(seq) + "}";
    row.enqueuedAtMs = 1'700'000'000'000 + seq;
    row.runAtMs = row.enqueuedAtMs;
    if (everyField) {
        row.state = TaskState::Scheduled;
        row.priority = -7;
        row.runAtMs = row.enqueuedAtMs + 60'000;
        row.maxAttempts = 4;
        row.timeoutS = 90;
        row.expireAtMs = row.enqueuedAtMs + 3'600'000;
        row.deadlineMs = row.enqueuedAtMs + 7'200'000;
        row.idempotencyKey = QStringLiteral("idem-%1").arg(seq);
        row.concurrencyKey = QStringLiteral("customer-7");
        row.requiredLabels.insert(QStringLiteral("gpu"), QStringLiteral("true"));
        row.requiredLabels.insert(QStringLiteral("region"), QStringLiteral("eu"));
        row.targetWorkerId = QStringLiteral("w_target");
        row.parentId = QStringLiteral("t_parent");
        row.runId = QStringLiteral("t_root");
    }
    return row;
}

void compareRows(const TaskRow &read, const TaskRow &written)
{
    QCOMPARE(read.seq, written.seq);
    QCOMPARE(read.queueNum, written.queueNum);
    QCOMPARE(read.state, written.state);
    QCOMPARE(read.type, written.type);
    QCOMPARE(read.payload, written.payload);
    QCOMPARE(read.priority, written.priority);
    QCOMPARE(read.enqueuedAtMs, written.enqueuedAtMs);
    QCOMPARE(read.runAtMs, written.runAtMs);
    QCOMPARE(read.maxAttempts, written.maxAttempts);
    QCOMPARE(read.timeoutS, written.timeoutS);
    QCOMPARE(read.expireAtMs, written.expireAtMs);
    QCOMPARE(read.deadlineMs, written.deadlineMs);
    QCOMPARE(read.idempotencyKey, written.idempotencyKey);
    QCOMPARE(read.concurrencyKey, written.concurrencyKey);
    QCOMPARE(read.requiredLabels, written.requiredLabels);
    QCOMPARE(read.targetWorkerId, written.targetWorkerId);
    QCOMPARE(read.parentId, written.parentId);
    QCOMPARE(read.runId, written.runId);
}

std::vector<TaskRow> rows(qint64 from, qint64 to)
{
    std::vector<TaskRow> out;
    for (qint64 seq = from; seq <= to; ++seq)
        out.push_back(taskRow(seq, seq % 2 == 0));
    return out;
}

} // namespace

class TestIntakeLog final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_files = 0;

    QString newPath()
    {
        return QDir(m_dir.path()).filePath(QStringLiteral("log-%1").arg(++m_files));
    }

    // A log at path holding the rows, one append each, in epoch 5 of database 77.
    static bool writeLog(const QString &path, const std::vector<TaskRow> &written)
    {
        IntakeLog log;
        if (!log.open(path, false) || !log.restart(5, 77, 1 << 20))
            return false;
        for (const TaskRow &row : written) {
            if (!log.append(&row, 1))
                return false;
        }
        return true;
    }

    static std::vector<TaskRow> readLog(const QString &path)
    {
        IntakeLog log;
        auto contents = log.open(path, false);
        return contents ? contents->rows : std::vector<TaskRow>();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
    }

    void crcMatchesTheCheckValue()
    {
        const QByteArray check("123456789");
        QCOMPARE(IntakeLog::crc32cPortable(0, check.constData(), std::size_t(check.size())),
                 0xE3069283u);
        QCOMPARE(IntakeLog::crc32c(0, check.constData(), std::size_t(check.size())), 0xE3069283u);
        // In two pieces, continued from the first.
        const quint32 first = IntakeLog::crc32c(0, check.constData(), 4);
        QCOMPARE(IntakeLog::crc32c(first, check.constData() + 4, 5), 0xE3069283u);
    }

    void crcByInstructionAgreesWithTheTable()
    {
        QRandomGenerator random(20261202);
        QByteArray data(300, Qt::Uninitialized);
        for (char &c : data)
            c = char(random.generate());
        for (int offset = 0; offset < 9; ++offset) {
            for (int size : {0, 1, 7, 8, 9, 15, 16, 17, 64, 255, 291}) {
                const quint32 seed = random.generate();
                QCOMPARE(
                    IntakeLog::crc32c(seed, data.constData() + offset, std::size_t(size)),
                    IntakeLog::crc32cPortable(seed, data.constData() + offset, std::size_t(size)));
            }
        }
    }

    void taskReadsBackAsWritten_data()
    {
        QTest::addColumn<bool>("everyField");
        QTest::newRow("required fields only") << false;
        QTest::newRow("every optional field") << true;
    }
    void taskReadsBackAsWritten()
    {
        QFETCH(bool, everyField);
        const TaskRow written = taskRow(41, everyField);
        QByteArray body;
        IntakeLog::encodeTask(written, body);
        const auto read = IntakeLog::decodeTask(body);
        QVERIFY(read);
        compareRows(*read, written);
    }

    void malformedBodiesAreRefused()
    {
        QByteArray body;
        IntakeLog::encodeTask(taskRow(9, true), body);
        QVERIFY(IntakeLog::decodeTask(body));
        QVERIFY(!IntakeLog::decodeTask(QByteArrayView(body).chopped(1)));
        QVERIFY(!IntakeLog::decodeTask(QByteArray(body).append('x')));
        QVERIFY(!IntakeLog::decodeTask(QByteArrayView()));
        QByteArray running = body;
        running[12] = char(TaskState::Running); // the state byte: a new task only waits
        QVERIFY(!IntakeLog::decodeTask(running));
    }

    void recordsReadBackInOrder()
    {
        const QString path = newPath();
        const std::vector<TaskRow> written = rows(1, 20);
        {
            IntakeLog log;
            auto contents = log.open(path, false);
            QVERIFY(contents);
            QVERIFY(!contents->header);
            QVERIFY(contents->rows.empty());
            QVERIFY(log.restart(5, 77, 1 << 20));
            // One append of several and several of one.
            QVERIFY(log.append(written.data(), 12));
            for (std::size_t i = 12; i < written.size(); ++i)
                QVERIFY(log.append(&written[i], 1));
        }
        IntakeLog log;
        auto contents = log.open(path, false);
        QVERIFY(contents);
        QVERIFY(contents->header);
        QCOMPARE(contents->header->epoch, quint64(5));
        QCOMPARE(contents->header->databaseId, quint64(77));
        QVERIFY(!contents->foreign);
        QCOMPARE(contents->rows.size(), written.size());
        for (std::size_t i = 0; i < written.size(); ++i)
            compareRows(contents->rows[i], written[i]);
    }

    // Larger than the most SQLite's VFS takes in one call: written and read in pieces.
    void aLargeBatchReadsBack()
    {
        const QString path = newPath();
        std::vector<TaskRow> written = rows(1, 100);
        for (TaskRow &row : written)
            row.payload = QByteArray(4096, char('a' + row.seq % 26));
        {
            IntakeLog log;
            QVERIFY(log.open(path, false));
            QVERIFY(log.restart(1, 77, 1 << 30));
            const auto appended = log.append(written.data(), written.size());
            QVERIFY2(appended, qPrintable(appended ? QString() : appended.error().message));
        }
        QVERIFY(QFileInfo(path).size() > 400'000);
        const auto read = readLog(path);
        QCOMPARE(read.size(), written.size());
        for (std::size_t i = 0; i < read.size(); ++i)
            compareRows(read[i], written[i]);
    }

    void aRecordCutShortEndsTheLog()
    {
        const QString path = newPath();
        QVERIFY(writeLog(path, rows(1, 3)));
        const qint64 full = QFileInfo(path).size();
        const QString two = newPath();
        QVERIFY(writeLog(two, rows(1, 2)));
        const qint64 twoRecords = QFileInfo(two).size();
        // Every cut inside the third record leaves the first two.
        for (qint64 cut = twoRecords + 1; cut < full; ++cut) {
            const QString copy = newPath();
            QVERIFY(QFile::copy(path, copy));
            QVERIFY(QFile::resize(copy, cut));
            QCOMPARE(readLog(copy).size(), std::size_t(2));
        }
        QCOMPARE(readLog(path).size(), std::size_t(3));
    }

    void aChangedByteEndsTheLogThere()
    {
        const QString path = newPath();
        QVERIFY(writeLog(path, rows(1, 3)));
        QFile file(path);
        QVERIFY(file.open(QIODevice::ReadOnly));
        const QByteArray bytes = file.readAll();
        file.close();
        // A byte of the second record's body (the first record's end found from its length).
        const qint64 first = IntakeLog::HeaderBytes;
        const quint32 length = quint8(bytes[first]) | quint32(quint8(bytes[first + 1])) << 8 |
                               quint32(quint8(bytes[first + 2])) << 16;
        const qint64 second = first + 8 + length;
        for (qint64 at : {second, second + 4, second + 8, second + 20}) {
            QByteArray changed = bytes;
            changed[at] = char(changed[at] ^ 0x10);
            const QString copy = newPath();
            QFile out(copy);
            QVERIFY(out.open(QIODevice::WriteOnly));
            out.write(changed);
            out.close();
            const auto read = readLog(copy);
            QCOMPARE(read.size(), std::size_t(1));
            QCOMPARE(read[0].seq, qint64(1));
        }
    }

    void anOlderEpochBehindTheNewestRecordIsNotRead()
    {
        const QString path = newPath();
        IntakeLog log;
        QVERIFY(log.open(path, false));
        QVERIFY(log.restart(1, 77, 1 << 20));
        const std::vector<TaskRow> old = rows(1, 10);
        QVERIFY(log.append(old.data(), old.size()));
        // The next epoch writes over the start of the file; the old records stay behind.
        QVERIFY(log.restart(2, 77, 1 << 20));
        const std::vector<TaskRow> now = rows(11, 12);
        QVERIFY(log.append(now.data(), now.size()));
        log.close();
        QVERIFY(QFileInfo(path).size() > IntakeLog::HeaderBytes + 500);
        IntakeLog again;
        auto contents = again.open(path, false);
        QVERIFY(contents);
        QCOMPARE(contents->header->epoch, quint64(2));
        QCOMPARE(contents->rows.size(), std::size_t(2));
        QCOMPARE(contents->rows[0].seq, qint64(11));
        QCOMPARE(contents->rows[1].seq, qint64(12));
        // A new epoch with no record reads none of them.
        QVERIFY(again.restart(3, 77, 1 << 20));
        again.close();
        QVERIFY(readLog(path).empty());
    }

    void aFileThatIsNoLogIsToldApart()
    {
        const QString path = newPath();
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(QByteArray(64, 'x'));
        file.close();
        IntakeLog log;
        auto contents = log.open(path, false);
        QVERIFY(contents);
        QVERIFY(contents->foreign);
        QVERIFY(contents->rows.empty());

        // A header cut as it was written over: read as none, not as a foreign file.
        const QString torn = newPath();
        QVERIFY(writeLog(torn, rows(1, 2)));
        QFile tornFile(torn);
        QVERIFY(tornFile.open(QIODevice::ReadWrite));
        QVERIFY(tornFile.seek(20)); // inside the epoch
        tornFile.write("\x7f", 1);
        tornFile.close();
        auto tornContents = log.open(torn, false);
        QVERIFY(tornContents);
        QVERIFY(!tornContents->foreign);
        QVERIFY(!tornContents->header);
        QVERIFY(tornContents->rows.empty());

        // Shorter than a header (a crash while the file was made): a new log, not a foreign one.
        const QString shortPath = newPath();
        QFile shortFile(shortPath);
        QVERIFY(shortFile.open(QIODevice::WriteOnly));
        shortFile.write("QDINT");
        shortFile.close();
        auto shortContents = log.open(shortPath, false);
        QVERIFY(shortContents);
        QVERIFY(!shortContents->foreign);
        QVERIFY(!shortContents->header);
    }

    void aLogThatGrewLargeIsCutBack()
    {
        const QString path = newPath();
        IntakeLog log;
        QVERIFY(log.open(path, false));
        QVERIFY(log.restart(1, 77, 4096));
        const std::vector<TaskRow> many = rows(1, 100);
        QVERIFY(log.append(many.data(), many.size()));
        QVERIFY(QFileInfo(path).size() > 4096);
        QVERIFY(log.restart(2, 77, 4096));
        QCOMPARE(QFileInfo(path).size(), IntakeLog::HeaderBytes);
        // Below the bound, the file keeps its length and is written again in place.
        QVERIFY(log.append(many.data(), 10));
        const qint64 tenRecords = QFileInfo(path).size();
        QVERIFY(log.restart(3, 77, 1 << 20));
        QCOMPARE(QFileInfo(path).size(), tenRecords);
    }
};

QTEST_GUILESS_MAIN(TestIntakeLog)
#include "tst_intakelog.moc"
