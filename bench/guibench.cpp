// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck-guibench: the desktop window against a server with 200 queues and 2,000 workers.
//
// Measures, on the GUI thread (offscreen, so painting into the backing store is included), in
// CPU time of that thread (what its work costs, not how long it waited for a core):
//   - start: from opening the server's database to the window's first paint, and to the first
//     paint that shows all 200 cards;
//   - busy time of the GUI thread per second (time between the event loop waking and going back
//     to sleep, summed) while tasks flow through every queue and the dashboard updates each
//     second, and the same with the Workers tab in front;
//   - the GUI thread's CPU time per second once nothing changes.
// The load runs on a thread of its own and calls the engine directly; the window talks to the
// server over loopback HTTP, as the app does.

#include "apihost.h"
#include "benchsupport.h"
#include "dashboardcontroller.h"
#include "dashboardview.h"
#include "engine.h"
#include "mainwindow.h"
#include "workersview.h"

#include <QApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QRandomGenerator>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QThread>
#include <QTimer>

#include <algorithm>
#include <cstdio>
#include <ctime>

using namespace QueueDeck;
using Bench::must;

namespace {

constexpr int Queues = 200;
constexpr int WorkersPerQueue = 10;

qint64 threadCpuNs()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return qint64(t.tv_sec) * 1'000'000'000 + t.tv_nsec;
}

// Tasks through every queue: enqueue, lease and acknowledge, on a thread of its own.
class Load final : public QObject
{
public:
    Load(Engine &engine, QStringList queues, QList<QStringList> workers)
        : m_engine(engine), m_queues(std::move(queues)), m_workers(std::move(workers))
    {}
    void tick()
    {
        auto *random = QRandomGenerator::global();
        for (int i = 0; i < 20; ++i) {
            const int q = int(random->bounded(m_queues.size()));
            QList<EnqueueRequest> batch;
            for (int n = 0; n < 5; ++n)
                batch.append(Bench::benchTask(n));
            m_engine.enqueueBatch(m_queues[q], batch);
            const QString worker = m_workers[q][random->bounded(m_workers[q].size())];
            const auto leased = must(m_engine.lease({worker, 4, 0}), "lease");
            CompleteRequest done;
            done.workerId = worker;
            for (const LeasedTask &task : leased)
                done.acks.append({task.id, task.leaseId, {}});
            if (!done.acks.isEmpty())
                m_engine.complete(done);
        }
    }

private:
    Engine &m_engine;
    QStringList m_queues;
    QList<QStringList> m_workers;
};

struct Stats
{
    double median = 0, p95 = 0, max = 0, mean = 0;
};

Stats stats(QList<double> values)
{
    Stats s;
    if (values.isEmpty())
        return s;
    std::sort(values.begin(), values.end());
    s.median = values[values.size() / 2];
    s.p95 = values[qMin(values.size() - 1, qsizetype(double(values.size()) * 0.95))];
    s.max = values.last();
    double sum = 0;
    for (double v : values)
        sum += v;
    s.mean = sum / double(values.size());
    return s;
}

// Runs the event loop for `seconds`: the GUI thread's CPU milliseconds of each second, and the
// milliseconds of each dashboard update (one `stats` event a second).
std::pair<QList<double>, QList<double>> measure(Ui::MainWindow &window, int seconds)
{
    QList<double> updates, cpu;
    qint64 cpuBefore = threadCpuNs();
    auto *controller = window.controller();
    auto connection =
        QObject::connect(controller, &Ui::DashboardController::snapshotArrived, controller, [&] {
            // read once the handling is over
            QTimer::singleShot(0, controller, [&, controller] {
                updates.append(double(controller->lastUpdateNs()) / 1e6);
            });
        });
    for (int i = 0; i < seconds; ++i) {
        QEventLoop loop; // sleeps between events, as the app's loop does
        QTimer::singleShot(1000, &loop, &QEventLoop::quit);
        loop.exec();
        const qint64 cpuNow = threadCpuNs();
        cpu.append(double(cpuNow - cpuBefore) / 1e6);
        cpuBefore = cpuNow;
    }
    QObject::disconnect(connection);
    return {updates, cpu};
}

void print(const char *what, const QList<double> &values)
{
    if (values.isEmpty()) { // a run that saw nothing must not read as a run that cost nothing
        std::printf("%-48s no samples\n", what);
        return;
    }
    const Stats s = stats(values);
    std::printf("%-48s median %6.2f  p95 %6.2f  max %6.2f  mean %6.2f ms\n", what, s.median, s.p95,
                s.max, s.mean);
}

} // namespace

int main(int argc, char *argv[])
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("QueueDeck-bench"));
    const int loadSeconds = argc > 1 ? atoi(argv[1]) : 20;

    // QUEUEDECK_GUIBENCH_KEEP=<dir>: leave the data (200 queues, 2,000 workers) there, for
    // timing the app's own start on it (QUEUEDECK_STARTUP_REPORT=quit queuedeck --data-dir <dir>).
    QTemporaryDir dir;
    const QString keep = qEnvironmentVariable("QUEUEDECK_GUIBENCH_KEEP");
    EngineOptions options;
    options.dataDirectory = keep.isEmpty() ? dir.path() : keep;
    QStringList queueIds;
    QList<QStringList> workerIds;
    {
        // The server's data: 200 queues, 2,000 workers (made once, then opened as the app would).
        Engine engine(options);
        if (!engine.start())
            return 1;
        for (int q = 0; q < Queues; ++q) {
            QueueSettings settings;
            settings.maxWorkers = 20;
            settings.workerTimeoutS = 3600; // nobody is lost while the window is measured
            settings.description = QStringLiteral("benchmark queue %1").arg(q);
            queueIds.append(
                must(engine.createQueue(QStringLiteral("default"),
                                        QStringLiteral("queue-%1").arg(q, 3, 10, QLatin1Char('0')),
                                        settings),
                     "create queue")
                    .id);
        }
    }
    std::printf("queues: %d, workers: %d\n", Queues, Queues * WorkersPerQueue);

    QElapsedTimer sinceStart;
    sinceStart.start();
    Engine engine(options);
    if (!engine.start())
        return 1;
    const QString token = must(engine.initAdminToken(true), "token");
    const double openMs = double(sinceStart.nsecsElapsed()) / 1e6;
    for (int q = 0; q < Queues; ++q) {
        QStringList ids;
        for (int w = 0; w < WorkersPerQueue; ++w) {
            RegisterRequest request;
            request.queueIds = {queueIds[q]};
            request.hostname = QStringLiteral("host-%1").arg(q * WorkersPerQueue + w);
            request.pid = 1000 + w;
            ids.append(must(engine.registerWorker(request), "register").workerId);
        }
        workerIds.append(ids);
    }
    const double registerMs = double(sinceStart.nsecsElapsed()) / 1e6 - openMs;
    Api::ApiOptions apiOptions;
    apiOptions.port = 0;
    QElapsedTimer apiStart;
    apiStart.start();
    Api::ApiHost api(engine, apiOptions);
    if (!api.start().isEmpty())
        return 1;
    const double apiMs = double(apiStart.nsecsElapsed()) / 1e6;

    // Start of the window: its first paint, and the first paint with every card.
    QElapsedTimer sinceWindow;
    sinceWindow.start();
    Ui::MainWindow window;
    double firstPaintMs = -1, allCardsMs = -1;
    struct PaintWatch : QObject
    {
        std::function<void()> onPaint;
        bool eventFilter(QObject *, QEvent *event) override
        {
            if (event->type() == QEvent::Paint)
                onPaint();
            return false;
        }
    } watch;
    watch.onPaint = [&] {
        const double ms = double(sinceWindow.nsecsElapsed()) / 1e6;
        if (firstPaintMs < 0)
            firstPaintMs = ms;
        if (allCardsMs < 0 && window.dashboard() && window.dashboard()->card(queueIds.last()))
            allCardsMs = ms;
    };
    window.installEventFilter(&watch);
    window.connectTo(
        {QUrl(QStringLiteral("http://127.0.0.1:%1").arg(api.port())), token, true, false});
    window.resize(1280, 800);
    window.show();
    QElapsedTimer waited;
    waited.start();
    while (allCardsMs < 0 && waited.elapsed() < 20000) {
        QCoreApplication::processEvents(QEventLoop::AllEvents, 50);
        if (window.dashboard()->card(queueIds.last()))
            window.dashboard()->update(); // a paint after the cards arrived
    }
    std::printf("open database (200 queues): %.0f ms; register 2,000 workers: %.0f ms\n", openMs,
                registerMs);
    std::printf("window: first paint %.0f ms, first paint with all %d cards %.0f ms after it was "
                "made\n",
                firstPaintMs, Queues, allCardsMs);
    // The app's start: open the store, listen, make the window, paint (the registrations above
    // stand in for workers attaching and are not part of it).
    std::printf("start to first paint: %.0f ms; to all cards painted: %.0f ms\n",
                openMs + apiMs + firstPaintMs, openMs + apiMs + allCardsMs);

    QThread loadThread;
    Load load(engine, queueIds, workerIds);
    load.moveToThread(&loadThread);
    QTimer loadTimer;
    loadTimer.setInterval(50);
    loadTimer.moveToThread(&loadThread);
    QObject::connect(&loadTimer, &QTimer::timeout, &load, [&load] { load.tick(); });
    QObject::connect(&loadThread, &QThread::started, &loadTimer, qOverload<>(&QTimer::start));
    loadThread.start();

    measure(window, 3); // warm up
    auto [loadUpdates, loadCpu] = measure(window, loadSeconds);
    print("dashboard update (stats event), under load:", loadUpdates);
    print("GUI thread CPU per second, under load:", loadCpu);
    window.tabs()->setCurrentWidget(window.workers());
    measure(window, 2);
    auto [workersUpdates, workersCpu] = measure(window, loadSeconds / 2);
    print("GUI thread CPU per second, Workers tab, load:", workersCpu);
    window.tabs()->setCurrentIndex(0);

    QMetaObject::invokeMethod(&loadTimer, &QTimer::stop, Qt::BlockingQueuedConnection);
    loadThread.quit();
    loadThread.wait();
    // Nothing changing: no task waits (an aging task changes its queue's oldest age each
    // second), and the ten-second rates have fallen back to zero.
    for (const QString &id : std::as_const(queueIds))
        must(engine.purgeQueue(id), "purge");
    measure(window, 12);
    auto [idleUpdates, idleCpu] = measure(window, 10);
    print("dashboard update (stats event), nothing changing:", idleUpdates);
    print("GUI thread CPU per second, nothing changing:", idleCpu);
    std::printf("snapshot: %d queues, %d active workers\n",
                window.controller()->lastSnapshot().queueCount,
                window.controller()->lastSnapshot().activeWorkers);
    api.stop();
    return 0;
}
