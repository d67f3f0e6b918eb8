// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "intakestore.h"

#include "ids.h"

#include <QDateTime>
#include <QFile>
#include <QLoggingCategory>
#include <QRandomGenerator>

#include <algorithm>

Q_LOGGING_CATEGORY(lcIntake, "queuedeck.store.intake", QtInfoMsg)

namespace QueueDeck {

namespace {

const QString DatabaseIdKey = QStringLiteral("intake_database");
const QString TakenEpochKey = QStringLiteral("intake_epoch");

// What a task weighs against FlushBytes: its payload and a row's worth of the rest.
constexpr qint64 RowOverheadBytes = 256;
// A log file that a large batch grew past this is cut back when its next epoch starts.
constexpr qint64 ShrinkLogAbove = 2 * IntakeStore::FlushBytes;

} // namespace

// The schedules' store with the logged tasks settled before each write: a schedule's writes join
// the batch's database transaction, as its fires' tasks do. Reads go straight to the database.
class IntakeStore::SettledSchedules final : public ScheduleStore
{
public:
    explicit SettledSchedules(IntakeStore &store) : m_store(store) {}

    Result<QList<ScheduleRow>> loadSchedules() override
    {
        return m_store.m_database->schedules().loadSchedules();
    }
    Result<void> insertSchedule(const ScheduleRow &row) override
    {
        return through([&](ScheduleStore &s) { return s.insertSchedule(row); });
    }
    Result<void> updateSchedule(const ScheduleRow &row) override
    {
        return through([&](ScheduleStore &s) { return s.updateSchedule(row); });
    }
    Result<void> setCursor(const QString &scheduleId, qint64 cursorMs) override
    {
        return through([&](ScheduleStore &s) { return s.setCursor(scheduleId, cursorMs); });
    }
    Result<void> deleteSchedule(const QString &scheduleId) override
    {
        return through([&](ScheduleStore &s) { return s.deleteSchedule(scheduleId); });
    }
    Result<bool> insertFire(const ScheduleFire &fire) override
    {
        return through([&](ScheduleStore &s) { return s.insertFire(fire); });
    }
    Result<void> updateFire(const ScheduleFire &fire) override
    {
        return through([&](ScheduleStore &s) { return s.updateFire(fire); });
    }
    Result<std::optional<ScheduleFire>> loadFire(const QString &scheduleId,
                                                 qint64 fireTimeMs) override
    {
        return m_store.m_database->schedules().loadFire(scheduleId, fireTimeMs);
    }
    Result<QList<ScheduleFire>> listFires(const QString &scheduleId, std::optional<qint64> beforeMs,
                                          int limit) override
    {
        return m_store.m_database->schedules().listFires(scheduleId, beforeMs, limit);
    }
    Result<std::optional<ScheduleFire>> latestFire(const QString &scheduleId,
                                                   const QString &outcome) override
    {
        return m_store.m_database->schedules().latestFire(scheduleId, outcome);
    }
    Result<int> deleteFiresBefore(qint64 fireTimeMs) override
    {
        return through([&](ScheduleStore &s) { return s.deleteFiresBefore(fireTimeMs); });
    }

private:
    template <typename Call>
    auto through(Call call) -> decltype(call(std::declval<ScheduleStore &>()))
    {
        if (auto settled = m_store.settle(); !settled)
            return std::unexpected(settled.error());
        return call(m_store.m_database->schedules());
    }

    IntakeStore &m_store;
};

IntakeStore::IntakeStore(std::unique_ptr<Store> database)
    : m_database(std::move(database)), m_schedules(std::make_unique<SettledSchedules>(*this))
{}

IntakeStore::~IntakeStore()
{
    close();
}

// --- opening and closing ---

Result<void> IntakeStore::open(const StoreOptions &options)
{
    close();
    if (auto opened = m_database->open(options); !opened)
        return opened;
    m_stats = {};
    if (options.databasePath.isEmpty() || options.databasePath == u":memory:")
        return {};
    if (auto recovered = recover(options); !recovered) {
        m_log.close();
        m_database->close();
        return recovered;
    }
    m_useLog = true;
    return {};
}

Result<void> IntakeStore::recover(const StoreOptions &options)
{
    // The id that ties the log to this database, made the first time.
    auto idText = m_database->metaValue(DatabaseIdKey);
    if (!idText)
        return std::unexpected(idText.error());
    bool known = false;
    m_databaseId = idText->toULongLong(&known);
    if (!known || m_databaseId == 0) {
        do
            m_databaseId = QRandomGenerator::system()->generate64();
        while (m_databaseId == 0);
        if (auto began = m_database->beginBatch(); !began)
            return began;
        auto saved = m_database->setMetaValue(DatabaseIdKey, QByteArray::number(m_databaseId));
        if (saved)
            saved = m_database->commitBatch();
        if (!saved) {
            m_database->rollbackBatch();
            return saved;
        }
    }
    auto takenText = m_database->metaValue(TakenEpochKey);
    if (!takenText)
        return std::unexpected(takenText.error());
    const quint64 taken = takenText->toULongLong();

    const QString path = IntakeLog::pathFor(options.databasePath);
    auto contents = m_log.open(path, options.durability == Durability::Full);
    if (!contents)
        return std::unexpected(contents.error());
    quint64 epoch = taken;
    if (contents->foreign || (contents->header && contents->header->databaseId != m_databaseId)) {
        // Another database's log (its database was replaced by hand), or not a log at all: its
        // tasks are not this database's to take. Kept for whoever wants to look.
        m_log.close();
        const QString aside =
            path + QStringLiteral(".foreign-") +
            QDateTime::currentDateTimeUtc().toString(QStringLiteral("yyyyMMdd'T'HHmmss'Z'"));
        if (!QFile::rename(path, aside))
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("%1 is not this database's intake log, and it cannot "
                                            "be moved aside to %2; move it away by hand")
                                 .arg(path, aside));
        qCWarning(lcIntake) << path << "belongs to another database; moved aside to" << aside;
        contents = m_log.open(path, options.durability == Durability::Full);
        if (!contents)
            return std::unexpected(contents.error());
    } else if (contents->header) {
        const IntakeLog::Header header = *contents->header;
        epoch = qMax(epoch, header.epoch);
        if (header.epoch > taken && !contents->rows.empty()) {
            auto took = m_database->beginBatch();
            qint64 present = 0;
            for (const TaskRow &row : contents->rows) {
                if (!took)
                    break;
                // A task the database has already (its file replaced by a copy of itself, say)
                // is kept as the database has it.
                auto existing = m_database->loadTask(row.seq);
                if (!existing) {
                    took = std::unexpected(existing.error());
                    break;
                }
                if (existing->has_value()) {
                    ++present;
                    continue;
                }
                took = m_database->insertTask(row);
            }
            if (took)
                took = m_database->setMetaValue(TakenEpochKey, QByteArray::number(header.epoch));
            if (took)
                took = m_database->commitBatch();
            if (!took) {
                m_database->rollbackBatch();
                return makeError(ErrorCode::Unavailable,
                                 QStringLiteral("the intake log %1 holds %2 tasks the database "
                                                "has not taken yet, and writing them into it "
                                                "failed: %3")
                                     .arg(path)
                                     .arg(contents->rows.size())
                                     .arg(took.error().message));
            }
            m_stats.recovered = qint64(contents->rows.size()) - present;
            qCInfo(lcIntake) << "took" << m_stats.recovered
                             << "tasks from the intake log into the database";
            if (present > 0)
                qCWarning(lcIntake) << present
                                    << "tasks of the intake log were in the database already "
                                       "and were kept as it has them";
        }
    }
    m_epoch = epoch + 1;
    return m_log.restart(m_epoch, m_databaseId, ShrinkLogAbove);
}

void IntakeStore::close()
{
    if (m_inBatch)
        abandonBatch();
    if (m_useLog && (!m_logged.empty() || m_epochSpoiled)) {
        if (auto taken = takeLoggedOutsideBatch(); !taken)
            qCWarning(lcIntake) << m_logged.size()
                                << "logged tasks stay in the intake log, to be taken when the "
                                   "store opens next:"
                                << taken.error().message;
    }
    m_log.close();
    m_useLog = false;
    m_logBroken = false;
    m_epochSpoiled = false;
    m_logged.clear();
    m_loggedBytes = 0;
    m_database->close();
}

// --- batches ---

Result<void> IntakeStore::beginBatch()
{
    m_inBatch = true;
    m_transactionOpen = false;
    m_tookLogged = false;
    m_takeFailed = false;
    m_batchRows.clear();
    m_batchBytes = 0;
    m_operations.clear();
    if (m_logBroken) {
        if (m_log.restart(m_epoch, m_databaseId, ShrinkLogAbove)) {
            m_logBroken = false;
            qCInfo(lcIntake) << "the intake log is written again";
        }
    }
    // Without a log, the transaction opens now. Otherwise only a write opens it, so that a batch
    // of reads never writes (and works on a full disk).
    if (!m_useLog) {
        if (auto opened = openDatabaseTransaction(); !opened) {
            abandonBatch();
            return opened;
        }
    }
    return {};
}

Result<void> IntakeStore::openDatabaseTransaction()
{
    if (auto began = m_database->beginBatch(); !began)
        return began;
    m_transactionOpen = true;
    const auto take = [this](const std::vector<TaskRow> &rows, std::size_t from,
                             std::size_t to) -> Result<void> {
        if (to <= from)
            return {};
        if (auto inserted = m_database->insertTasks(std::span(rows).subspan(from, to - from));
            !inserted) {
            m_takeFailed = true;
            return inserted;
        }
        return {};
    };
    // The logged tasks first, outside every operation of the batch: undoing one of those must
    // not undo them.
    if (auto taken = take(m_logged, 0, m_logged.size()); !taken)
        return taken;
    m_tookLogged = !m_logged.empty();
    // Then the batch's own, each inside the operations that were open when it was added.
    std::size_t next = 0;
    for (const std::size_t start : m_operations) {
        if (auto taken = take(m_batchRows, next, start); !taken)
            return taken;
        next = std::max(next, start);
        if (auto began = m_database->beginOperation(); !began) {
            m_takeFailed = true;
            return began;
        }
    }
    if (auto taken = take(m_batchRows, next, m_batchRows.size()); !taken)
        return taken;
    m_batchRows.clear();
    m_operations.clear();
    return {};
}

Result<void> IntakeStore::commitBatch()
{
    if (!m_inBatch)
        return makeError(ErrorCode::Internal, QStringLiteral("no batch to commit"));
    if (m_transactionOpen) {
        if (m_takeFailed)
            return makeError(ErrorCode::Unavailable,
                             QStringLiteral("the logged tasks could not be written into the "
                                            "database; try again"));
        // The epoch ends when the database took its tasks, or when a failed write may have left
        // records in it that nobody was told are stored: none of its records is read again.
        const bool endEpoch = m_tookLogged || m_epochSpoiled;
        if (endEpoch) {
            if (auto marked = m_database->setMetaValue(TakenEpochKey, QByteArray::number(m_epoch));
                !marked)
                return marked;
        }
        if (auto committed = m_database->commitBatch(); !committed)
            return committed;
        m_inBatch = false;
        m_transactionOpen = false;
        if (m_tookLogged) {
            m_tookLogged = false;
            m_logged.clear();
            m_loggedBytes = 0;
            ++m_stats.flushes;
        }
        if (endEpoch) {
            m_epochSpoiled = false;
            startNextEpoch();
        }
        return {};
    }
    if (!m_batchRows.empty()) {
        if (auto appended = m_log.append(m_batchRows.data(), m_batchRows.size()); !appended) {
            // Some of the records may be in the file all the same; the next write of the store
            // goes to the database and ends the epoch.
            m_epochSpoiled = true;
            return appended;
        }
        m_stats.logged += qint64(m_batchRows.size());
        for (TaskRow &row : m_batchRows) {
            m_loggedBytes += row.payload.size() + RowOverheadBytes;
            m_logged.push_back(std::move(row));
        }
        m_batchRows.clear();
    }
    m_inBatch = false;
    return {};
}

void IntakeStore::startNextEpoch()
{
    ++m_epoch;
    if (auto restarted = m_log.restart(m_epoch, m_databaseId, ShrinkLogAbove); !restarted) {
        // The database took the last epoch in full; records added under its number would be
        // skipped after a crash. New tasks go to the database until the log starts again.
        m_logBroken = true;
        qCWarning(lcIntake) << "the intake log could not start its next epoch; new tasks go "
                               "straight to the database until it does:"
                            << restarted.error().message;
    }
}

void IntakeStore::rollbackBatch()
{
    abandonBatch();
    // After a failed append, the epoch ends at once if the database can be written: until then a
    // crash would leave the failed write's records readable.
    if (m_epochSpoiled) {
        if (auto ended = takeLoggedOutsideBatch(); !ended)
            qCWarning(lcIntake) << "the intake log's epoch could not end after a failed write; "
                                   "it ends with the next write of the database:"
                                << ended.error().message;
    }
}

void IntakeStore::abandonBatch()
{
    if (m_transactionOpen)
        m_database->rollbackBatch();
    m_inBatch = false;
    m_transactionOpen = false;
    m_tookLogged = false;
    m_takeFailed = false;
    m_batchRows.clear();
    m_operations.clear();
}

Result<void> IntakeStore::beginOperation()
{
    if (m_inBatch && !m_transactionOpen) {
        m_operations.push_back(m_batchRows.size());
        return {};
    }
    return m_database->beginOperation();
}

void IntakeStore::endOperation(bool keep)
{
    if (m_inBatch && !m_transactionOpen) {
        if (m_operations.empty())
            return;
        const std::size_t start = m_operations.back();
        m_operations.pop_back();
        if (!keep)
            m_batchRows.erase(m_batchRows.begin() + qsizetype(start), m_batchRows.end());
        return;
    }
    m_database->endOperation(keep);
}

void IntakeStore::commitWithLease()
{
    m_database->commitWithLease();
}

Result<void> IntakeStore::settle()
{
    if (m_inBatch)
        return m_transactionOpen ? Result<void>() : openDatabaseTransaction();
    if (!m_logged.empty() || m_epochSpoiled)
        return takeLoggedOutsideBatch();
    return {};
}

Result<void> IntakeStore::takeLoggedOutsideBatch()
{
    m_inBatch = true;
    auto taken = openDatabaseTransaction();
    if (taken)
        taken = commitBatch();
    if (!taken)
        abandonBatch();
    return taken;
}

// --- tasks ---

Result<void> IntakeStore::insertTask(const TaskRow &task)
{
    if (m_inBatch && !m_transactionOpen) {
        m_batchRows.push_back(task);
        m_batchBytes += task.payload.size();
        // The log full, unusable, or holding what a failed write left; or a batch that fills
        // database pages by itself (the log would only write it twice): to the database.
        if (!logTakesTasks() || m_batchBytes >= DirectBatchBytes)
            return openDatabaseTransaction();
        return {};
    }
    if (auto settled = settle(); !settled)
        return settled;
    return m_database->insertTask(task);
}

// Every call that writes, and a backup: the logged tasks settled first, then the database's own.
// The reads (above and below, the task listings included) answer without writing anything, so
// that they work while the disk is full.
#define QUEUEDECK_SETTLED(call)                                                                    \
    do {                                                                                           \
        if (auto settled = settle(); !settled)                                                     \
            return std::unexpected(settled.error());                                               \
        return m_database->call;                                                                   \
    } while (false)

Result<qint64> IntakeStore::maxTaskSeq()
{
    auto max = m_database->maxTaskSeq();
    if (!max || m_transactionOpen)
        return max;
    for (const std::vector<TaskRow> *rows : {&m_logged, &m_batchRows}) {
        for (const TaskRow &row : *rows)
            *max = qMax(*max, row.seq);
    }
    return max;
}

Result<QByteArray> IntakeStore::metaValue(const QString &key)
{
    return m_database->metaValue(key);
}

Result<void> IntakeStore::setMetaValue(const QString &key, const QByteArray &value)
{
    QUEUEDECK_SETTLED(setMetaValue(key, value));
}

Result<void> IntakeStore::releaseLease(qint64 seq)
{
    QUEUEDECK_SETTLED(releaseLease(seq));
}

Result<QList<EnvironmentInfo>> IntakeStore::loadEnvironments()
{
    return m_database->loadEnvironments();
}

Result<void> IntakeStore::insertEnvironment(const EnvironmentInfo &environment)
{
    QUEUEDECK_SETTLED(insertEnvironment(environment));
}

Result<void> IntakeStore::deleteEnvironment(const QString &name)
{
    QUEUEDECK_SETTLED(deleteEnvironment(name));
}

Result<QList<QueueRow>> IntakeStore::loadQueues()
{
    return m_database->loadQueues();
}

Result<void> IntakeStore::insertQueue(const QueueRow &queue)
{
    QUEUEDECK_SETTLED(insertQueue(queue));
}

Result<void> IntakeStore::updateQueue(const QueueRow &queue)
{
    QUEUEDECK_SETTLED(updateQueue(queue));
}

Result<void> IntakeStore::deleteQueue(int queueNum)
{
    QUEUEDECK_SETTLED(deleteQueue(queueNum));
}

const TaskRow *IntakeStore::pendingTask(qint64 seq) const
{
    if (m_transactionOpen)
        return nullptr;
    for (const std::vector<TaskRow> *rows : {&m_batchRows, &m_logged}) {
        for (auto it = rows->rbegin(); it != rows->rend(); ++it) {
            if (it->seq == seq)
                return &*it;
        }
    }
    return nullptr;
}

Result<std::optional<TaskRow>> IntakeStore::loadTask(qint64 seq)
{
    if (const TaskRow *pending = pendingTask(seq))
        return std::optional<TaskRow>(*pending);
    return m_database->loadTask(seq);
}

Result<std::optional<LeasedRow>> IntakeStore::markLeased(qint64 seq, qint64 leaseValue,
                                                         const QString &workerId,
                                                         qint64 startedAtMs, qint64 defaultTimeoutS)
{
    QUEUEDECK_SETTLED(markLeased(seq, leaseValue, workerId, startedAtMs, defaultTimeoutS));
}

Result<std::vector<std::optional<LeasedRow>>>
IntakeStore::markLeasedMany(const std::vector<LeaseMark> &marks, const QString &workerId,
                            qint64 startedAtMs)
{
    QUEUEDECK_SETTLED(markLeasedMany(marks, workerId, startedAtMs));
}

Result<void> IntakeStore::extendLease(qint64 seq, qint64 expiresAtMs)
{
    QUEUEDECK_SETTLED(extendLease(seq, expiresAtMs));
}

Result<void> IntakeStore::markFinished(qint64 seq, TaskState state, qint64 finishedAtMs,
                                       const QByteArray &result, const QString &error,
                                       DeadReason reason)
{
    QUEUEDECK_SETTLED(markFinished(seq, state, finishedAtMs, result, error, reason));
}

Result<void> IntakeStore::markWaiting(qint64 seq, TaskState state, qint64 runAtMs,
                                      const QString &error, bool operatorRetry)
{
    QUEUEDECK_SETTLED(markWaiting(seq, state, runAtMs, error, operatorRetry));
}

Result<int> IntakeStore::deleteWaiting(int queueNum, qint64 maxSeq, int limit)
{
    QUEUEDECK_SETTLED(deleteWaiting(queueNum, maxSeq, limit));
}

Result<int> IntakeStore::deleteFinishedBefore(int queueNum, TaskState state, qint64 beforeMs,
                                              int limit)
{
    QUEUEDECK_SETTLED(deleteFinishedBefore(queueNum, state, beforeMs, limit));
}

Result<void> IntakeStore::markCancelRequested(qint64 seq)
{
    QUEUEDECK_SETTLED(markCancelRequested(seq));
}

Result<void> IntakeStore::deleteTask(qint64 seq)
{
    QUEUEDECK_SETTLED(deleteTask(seq));
}

Result<void> IntakeStore::scanUnfinished(const std::function<void(const TaskRow &)> &visit)
{
    if (m_transactionOpen)
        return m_database->scanUnfinished(visit);
    // The tasks not yet in the database, merged in by sequence, without their payloads.
    std::vector<TaskRow> pending;
    pending.reserve(m_logged.size() + m_batchRows.size());
    for (const std::vector<TaskRow> *rows : {&m_logged, &m_batchRows}) {
        for (const TaskRow &row : *rows) {
            pending.push_back(row);
            pending.back().payload = QByteArray();
        }
    }
    std::sort(pending.begin(), pending.end(),
              [](const TaskRow &a, const TaskRow &b) { return a.seq < b.seq; });
    auto next = pending.cbegin();
    auto scanned = m_database->scanUnfinished([&](const TaskRow &row) {
        for (; next != pending.cend() && next->seq < row.seq; ++next)
            visit(*next);
        visit(row);
    });
    if (!scanned)
        return scanned;
    for (; next != pending.cend(); ++next)
        visit(*next);
    return {};
}

Result<QHash<int, FinishedCounts>> IntakeStore::countFinished()
{
    return m_database->countFinished();
}

std::vector<const TaskRow *>
IntakeStore::pendingTasksWhere(const std::function<bool(const TaskRow &)> &keeps) const
{
    std::vector<const TaskRow *> kept;
    if (m_transactionOpen)
        return kept;
    for (const std::vector<TaskRow> *rows : {&m_logged, &m_batchRows}) {
        for (const TaskRow &row : *rows) {
            if (keeps(row))
                kept.push_back(&row);
        }
    }
    std::sort(kept.begin(), kept.end(),
              [](const TaskRow *a, const TaskRow *b) { return a->seq < b->seq; });
    return kept;
}

namespace {

// The database's rows and the pending ones, both in the order `before` sorts them, merged into
// that order and cut at `limit` (a negative limit keeps all, as SQLite's LIMIT -1 does).
template <typename Before>
QList<TaskRow> mergedRows(QList<TaskRow> database, const std::vector<const TaskRow *> &pending,
                          int limit, Before before)
{
    QList<TaskRow> merged;
    merged.reserve(database.size() + qsizetype(pending.size()));
    auto next = pending.cbegin();
    for (TaskRow &row : database) {
        for (; next != pending.cend() && before(**next, row); ++next)
            merged.append(**next);
        merged.append(std::move(row));
    }
    for (; next != pending.cend(); ++next)
        merged.append(**next);
    if (limit >= 0 && merged.size() > limit)
        merged.resize(limit);
    return merged;
}

} // namespace

// The two listings read the pending tasks beside the database's, as loadTask does, instead of
// writing them first: a listing works while the disk is full.
Result<QList<TaskRow>> IntakeStore::loadRunChildren(const QString &runId, int limit)
{
    auto database = m_database->loadRunChildren(runId, limit);
    if (!database || runId.isEmpty())
        return database;
    const auto pending =
        pendingTasksWhere([&runId](const TaskRow &row) { return row.runId == runId; });
    if (pending.empty())
        return database;
    QList<TaskRow> merged =
        mergedRows(std::move(*database), pending, limit,
                   [](const TaskRow &a, const TaskRow &b) { return a.seq < b.seq; });
    for (TaskRow &row : merged) { // read without their bodies, as the database's are
        row.payload = QByteArray();
        row.result = QByteArray();
    }
    return merged;
}

Result<QList<TaskRow>> IntakeStore::listTasks(int queueNum, const TaskFilter &filter,
                                              qint64 beforeSeq, int limit)
{
    auto database = m_database->listTasks(queueNum, filter, beforeSeq, limit);
    if (!database)
        return database;
    // The database's filter, applied to the pending tasks (SqliteStore::listTasks).
    const QByteArray text = filter.text.toUtf8();
    const auto id = Ids::parseTaskId(filter.text);
    const qint64 idSeq = !filter.text.isEmpty() && id ? id->seq : -1;
    auto pending = pendingTasksWhere([&](const TaskRow &row) {
        return (queueNum == 0 || row.queueNum == queueNum) &&
               (!filter.state || row.state == *filter.state) &&
               (filter.type.isEmpty() || row.type == filter.type) &&
               (beforeSeq == 0 || row.seq < beforeSeq) &&
               (filter.text.isEmpty() || row.seq == idSeq || row.payload.contains(text));
    });
    if (pending.empty())
        return database;
    std::reverse(pending.begin(), pending.end()); // newest first, as the listing is
    return mergedRows(std::move(*database), pending, limit,
                      [](const TaskRow &a, const TaskRow &b) { return a.seq > b.seq; });
}

// --- the rest ---

Result<void> IntakeStore::appendLogs(qint64 seq, const QList<LogLine> &lines, qint64 capBytes)
{
    QUEUEDECK_SETTLED(appendLogs(seq, lines, capBytes));
}

Result<QList<LogLine>> IntakeStore::loadLogs(qint64 seq, qint64 afterId, int limit)
{
    return m_database->loadLogs(seq, afterId, limit);
}

Result<QList<ProducerTokenRow>> IntakeStore::loadProducerTokens()
{
    return m_database->loadProducerTokens();
}

Result<void> IntakeStore::insertProducerToken(const ProducerTokenRow &token)
{
    QUEUEDECK_SETTLED(insertProducerToken(token));
}

Result<bool> IntakeStore::deleteProducerToken(const QString &name)
{
    QUEUEDECK_SETTLED(deleteProducerToken(name));
}

Result<QList<ProducerTokenRow>> IntakeStore::loadViewerTokens()
{
    return m_database->loadViewerTokens();
}

Result<void> IntakeStore::insertViewerToken(const ProducerTokenRow &token)
{
    QUEUEDECK_SETTLED(insertViewerToken(token));
}

Result<bool> IntakeStore::deleteViewerToken(const QString &name)
{
    QUEUEDECK_SETTLED(deleteViewerToken(name));
}

Result<void> IntakeStore::insertAudit(const AuditRow &entry)
{
    QUEUEDECK_SETTLED(insertAudit(entry));
}

Result<QList<AuditRow>> IntakeStore::listAudit(qint64 beforeId, int limit)
{
    return m_database->listAudit(beforeId, limit);
}

Result<QList<WorkerRow>> IntakeStore::loadWorkers()
{
    return m_database->loadWorkers();
}

Result<void> IntakeStore::upsertWorker(const WorkerRow &worker)
{
    QUEUEDECK_SETTLED(upsertWorker(worker));
}

Result<void> IntakeStore::deleteWorker(const QString &workerId)
{
    QUEUEDECK_SETTLED(deleteWorker(workerId));
}

Result<void> IntakeStore::upsertRollup(const RollupRow &rollup)
{
    QUEUEDECK_SETTLED(upsertRollup(rollup));
}

Result<QList<RollupRow>> IntakeStore::loadRollups(int queueNum, qint64 fromMinute, qint64 toMinute)
{
    return m_database->loadRollups(queueNum, fromMinute, toMinute);
}

Result<void> IntakeStore::deleteRollupsBefore(qint64 minute)
{
    QUEUEDECK_SETTLED(deleteRollupsBefore(minute));
}

Result<std::unique_ptr<StoreBackup>> IntakeStore::startBackup(const QString &path)
{
    QUEUEDECK_SETTLED(startBackup(path));
}

#undef QUEUEDECK_SETTLED

ScheduleStore &IntakeStore::schedules()
{
    return *m_schedules;
}

} // namespace QueueDeck
