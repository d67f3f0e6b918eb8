// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// queuedeck-render: renders the desktop app to PNG for the documentation. It starts a server on a
// temporary directory, creates several queues, runs simulated workers and producers against it
// for a while so that the charts move, then grabs the window's tabs in a light and a dark
// palette. Offscreen: QT_QPA_PLATFORM=offscreen queuedeck-render --out docs/screenshots

#include "apihost.h"
#include "chartsview.h"
#include "engine.h"
#include "mainwindow.h"
#include "metricsview.h"
#include "nodesmodel.h"
#include "nodesview.h"
#include "queuedialog.h"
#include "tasksmodel.h"
#include "tasksview.h"
#include "workersview.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QHostAddress>
#include <QLocale>
#include <QPalette>
#include <QRandomGenerator>
#include <QStyle>
#include <QStyleFactory>
#include <QTabWidget>
#include <QTemporaryDir>
#include <QTextStream>
#include <QTimer>
#include <QTranslator>

#include <cmath>

using namespace QueueDeck;

namespace {

template <typename T> T wait(QFuture<Result<T>> future)
{
    future.waitForFinished();
    const Result<T> result = future.result();
    if (!result) {
        QTextStream(stderr) << "queuedeck-render: " << result.error().message << '\n';
        std::exit(1);
    }
    if constexpr (!std::is_void_v<T>)
        return *result;
}

QPalette darkPalette()
{
    QPalette p;
    const QColor window(0x1f, 0x23, 0x2a), base(0x16, 0x19, 0x1e), text(0xe6, 0xe8, 0xeb);
    p.setColor(QPalette::Window, window);
    p.setColor(QPalette::WindowText, text);
    p.setColor(QPalette::Base, base);
    p.setColor(QPalette::AlternateBase, window);
    p.setColor(QPalette::Text, text);
    p.setColor(QPalette::Button, QColor(0x2b, 0x30, 0x38));
    p.setColor(QPalette::ButtonText, text);
    p.setColor(QPalette::Highlight, QColor(0x3b, 0x82, 0xf6));
    p.setColor(QPalette::HighlightedText, Qt::white);
    p.setColor(QPalette::PlaceholderText, QColor(0x9a, 0xa1, 0xab));
    p.setColor(QPalette::ToolTipBase, base);
    p.setColor(QPalette::ToolTipText, text);
    p.setColor(QPalette::Mid, QColor(0x4a, 0x50, 0x5a));
    p.setColor(QPalette::Midlight, QColor(0x33, 0x38, 0x40));
    p.setColor(QPalette::Light, QColor(0x3a, 0x40, 0x48));
    p.setColor(QPalette::Dark, QColor(0x10, 0x12, 0x15));
    p.setColor(QPalette::Shadow, Qt::black);
    p.setColor(QPalette::Disabled, QPalette::Text, QColor(0x6b, 0x72, 0x7c));
    p.setColor(QPalette::Disabled, QPalette::ButtonText, QColor(0x6b, 0x72, 0x7c));
    p.setColor(QPalette::Disabled, QPalette::WindowText, QColor(0x6b, 0x72, 0x7c));
    return p;
}

// A simulated worker: leases a few tasks, finishes them on its next turn (some fail).
struct SimWorker
{
    QString id;
    QList<LeasedTask> held;
    bool silent = false; // stops answering: shown as lost
};

} // namespace

int main(int argc, char *argv[])
{
    qputenv("QT_QPA_PLATFORM",
            qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    // --scale 1.5 renders as a 150 % display does; it must be known before the application.
    QByteArray scale = "1";
    for (int i = 1; i + 1 < argc; ++i) {
        if (qstrcmp(argv[i], "--scale") == 0)
            scale = argv[i + 1];
    }
    qputenv("QT_SCALE_FACTOR", scale);
    QApplication app(argc, argv);
    QApplication::setOrganizationName(QStringLiteral("QueueDeck-render"));
    QApplication::setApplicationName(QStringLiteral("queuedeck-render"));
    QApplication::setStyle(QStyleFactory::create(QStringLiteral("Fusion")));
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption out(QStringLiteral("out"), QStringLiteral("where the PNGs go"),
                                 QStringLiteral("dir"), QStringLiteral("docs/screenshots"));
    const QCommandLineOption seconds(QStringLiteral("seconds"),
                                     QStringLiteral("how long the simulated load runs first"),
                                     QStringLiteral("s"), QStringLiteral("75"));
    const QCommandLineOption language(QStringLiteral("lang"),
                                      QStringLiteral("the language of the window (en, de)"),
                                      QStringLiteral("code"), QStringLiteral("en"));
    const QCommandLineOption scaling(QStringLiteral("scale"),
                                     QStringLiteral("the display scaling, e.g. 1.5 for 150 %"),
                                     QStringLiteral("factor"), QStringLiteral("1"));
    parser.addOptions({out, seconds, language, scaling});
    parser.process(app);
    const QString outDir = parser.value(out);
    QTranslator translator;
    if (translator.load(QLocale(parser.value(language)), QStringLiteral("queuedeck"),
                        QStringLiteral("_"), QStringLiteral(":/i18n")))
        QApplication::installTranslator(&translator);
    QLocale::setDefault(QLocale(parser.value(language)));
    const double factor = parser.value(scaling).toDouble();
    const QString prefix =
        (parser.value(language) == u"en" ? QString() : parser.value(language) + u'-') +
        (factor > 0 && !qFuzzyCompare(factor, 1.0)
             ? QStringLiteral("scale%1-").arg(qRound(factor * 100))
             : QString());
    QDir().mkpath(outDir);

    QTemporaryDir dir;
    EngineOptions engineOptions;
    engineOptions.dataDirectory = dir.path();
    Engine engine(engineOptions);
    if (!engine.start())
        return 1;
    const QString token = wait(engine.initAdminToken(false));
    Api::ApiOptions apiOptions;
    apiOptions.port = 0;
    apiOptions.publicUrl = QStringLiteral("https://deck.example.com:7070");
    Api::ApiHost api(engine, apiOptions);
    if (!api.start().isEmpty())
        return 1;

    struct Plan
    {
        QString environment, name, display, description;
        int maxWorkers, workers;
        double rate; // tasks/s enqueued
        bool paused;
    };
    const Plan plans[] = {
        {QStringLiteral("prod"), QStringLiteral("emails"), QStringLiteral("Emails"),
         QStringLiteral("Transactional mail"), 10, 4, 30, false},
        {QStringLiteral("prod"), QStringLiteral("video-transcode"),
         QStringLiteral("Video transcode"), QStringLiteral("ffmpeg on GPU nodes"), 3, 3, 14, false},
        {QStringLiteral("prod"), QStringLiteral("webhooks"), QStringLiteral("Webhooks"),
         QStringLiteral("Outgoing partner calls"), 0, 3, 20, false},
        {QStringLiteral("staging"), QStringLiteral("reports"), QStringLiteral("Reports"),
         QStringLiteral("Nightly PDF reports"), 5, 0, 1, true},
        {QStringLiteral("prod"), QStringLiteral("thumbnails"), QStringLiteral("Thumbnails"),
         QStringLiteral("Image resizing"), 8, 0, 2, false},
        {QStringLiteral("default"), QStringLiteral("default"), QString(), QString(), 10, 1, 3,
         false},
    };
    for (const QString &env : {QStringLiteral("prod"), QStringLiteral("staging")})
        wait(engine.createEnvironment(EnvironmentInfo{env, {}, true, 0}));

    QList<QString> queueIds;
    QList<QList<SimWorker>> workers;
    int hostNumber = 1;
    for (const Plan &plan : plans) {
        QueueInfo queue;
        if (plan.name == u"default") {
            queue = wait(engine.queueByName(plan.environment, plan.name));
        } else {
            QueueSettings settings;
            settings.displayName = plan.display;
            settings.description = plan.description;
            settings.maxWorkers = plan.maxWorkers;
            settings.paused = plan.paused;
            settings.workerTimeoutS = 5;
            settings.retry.initialBackoffMs = 200;
            queue = wait(engine.createQueue(plan.environment, plan.name, settings));
        }
        queueIds.append(queue.id);
        QList<SimWorker> list;
        for (int i = 0; i < plan.workers; ++i) {
            RegisterRequest request;
            request.queueIds = {queue.id};
            request.hostname =
                QStringLiteral("worker-%1").arg(hostNumber++, 2, 10, QLatin1Char('0'));
            request.pid = 4000 + hostNumber * 7;
            request.version = QStringLiteral(QUEUEDECK_VERSION);
            request.concurrency = 2;
            request.labels = {{QStringLiteral("zone"), i % 2 ? QStringLiteral("eu-west-1b")
                                                             : QStringLiteral("eu-west-1a")}};
            list.append(SimWorker{wait(engine.registerWorker(request)).workerId, {}, false});
        }
        workers.append(list);
    }
    workers[2].last().silent = true; // one webhook worker will be lost

    // The load: producers at a rate that swells and ebbs; workers finish what they took on
    // their previous turn, about one in twenty fails.
    QElapsedTimer clock;
    clock.start();
    auto *random = QRandomGenerator::global();
    QTimer tick;
    int turn = 0;
    QObject::connect(&tick, &QTimer::timeout, [&] {
        const double t = double(clock.elapsed()) / 1000.0;
        ++turn;
        for (qsizetype q = 0; q < queueIds.size(); ++q) {
            const double swell = 1.0 + 0.6 * std::sin(t / 9.0 + double(q));
            const int count = int(plans[q].rate * swell / 10.0 + random->generateDouble());
            QList<EnqueueRequest> batch;
            for (int i = 0; i < count; ++i) {
                EnqueueRequest request;
                request.type = plans[q].name == u"emails" ? QStringLiteral("send-email")
                                                          : QStringLiteral("process");
                request.payload = QStringLiteral(R"({"n":%1,"to":"user%2@example.com"})")
                                      .arg(turn)
                                      .arg(random->bounded(1000))
                                      .toUtf8();
                batch.append(request);
            }
            if (!batch.isEmpty())
                engine.enqueueBatch(queueIds[q], batch);
            for (SimWorker &worker : workers[q]) {
                if (worker.silent && t > 3)
                    continue;
                CompleteRequest done;
                done.workerId = worker.id;
                for (const LeasedTask &task : std::as_const(worker.held)) {
                    if (random->bounded(20) == 0)
                        done.fails.append(TaskFail{task.id, task.leaseId,
                                                   QStringLiteral("upstream answered 503"),
                                                   random->bounded(3) != 0});
                    else
                        done.acks.append(TaskAck{task.id, task.leaseId, "{\"ok\":true}"});
                }
                if (!done.acks.isEmpty() || !done.fails.isEmpty())
                    engine.complete(done);
                // Slow queues keep their workers busy longer.
                const int take = plans[q].name == u"video-transcode" ? 1 : 2;
                worker.held = wait(engine.lease(LeaseRequest{worker.id, take, 0}));
                if (turn % 20 == 0)
                    engine.heartbeat(worker.id, {});
            }
        }
    });
    tick.start(100);

    Ui::MainWindow window;
    window.connectTo(Ui::ServerTarget{QUrl(QStringLiteral("http://127.0.0.1:%1").arg(api.port())),
                                      token, false, true});
    window.resize(1280, 800);
    window.show();

    const int runMs = parser.value(seconds).toInt() * 1000;
    QTimer::singleShot(runMs, [&] {
        int written = 0;
        for (const bool dark : {false, true}) {
            QApplication::setPalette(dark ? darkPalette()
                                          : QApplication::style()->standardPalette());
            const QString theme = dark ? QStringLiteral("dark") : QStringLiteral("light");
            auto save = [&](const QString &name) {
                QApplication::processEvents();
                const QString path = outDir + u'/' + prefix + theme + u'-' + name + u".png";
                if (window.grab().save(path)) {
                    ++written;
                    QTextStream(stdout) << path << '\n';
                }
            };
            window.tabs()->setCurrentIndex(0);
            save(QStringLiteral("dashboard"));
            window.tabs()->setCurrentWidget(window.charts());
            save(QStringLiteral("charts"));
            window.tabs()->setCurrentWidget(window.typeMetrics());
            {
                QEventLoop loop;
                QObject::connect(window.typeMetrics(), &Ui::MetricsView::loaded, &loop,
                                 &QEventLoop::quit);
                QTimer::singleShot(5000, &loop, &QEventLoop::quit);
                window.typeMetrics()->reload();
                loop.exec();
            }
            save(QStringLiteral("metrics"));
            window.tabs()->setCurrentWidget(window.workers());
            save(QStringLiteral("workers"));
            window.tabs()->setCurrentWidget(window.nodes());
            {
                QElapsedTimer waitedForNodes;
                waitedForNodes.start();
                window.nodes()->reload();
                while (window.nodes()->model()->rowCount() == 0 && waitedForNodes.elapsed() < 5000)
                    QApplication::processEvents(QEventLoop::AllEvents, 50);
            }
            save(QStringLiteral("nodes"));
            window.tabs()->setCurrentWidget(window.tasks());
            window.tasks()->showQueue(queueIds[0], QStringLiteral("dead"));
            QElapsedTimer waited;
            waited.start();
            while (window.tasks()->model()->rowCount() == 0 && waited.elapsed() < 5000)
                QApplication::processEvents(QEventLoop::AllEvents, 50);
            window.tasks()->selectRow(0);
            waited.restart();
            while (waited.elapsed() < 1500)
                QApplication::processEvents(QEventLoop::AllEvents, 50);
            save(QStringLiteral("tasks"));
            window.tabs()->setCurrentIndex(0);
            // The Configure dialog of the first queue, beside the window.
            const QueueInfo first = wait(engine.queue(queueIds[0]));
            Ui::QueueDialog dialog(
                [](const Ui::QueueDraft &) { return QFuture<Result<QueueInfo>>(); }, first,
                &window);
            dialog.show();
            QApplication::processEvents();
            const QString path = outDir + u'/' + prefix + theme + QStringLiteral("-configure.png");
            if (dialog.grab().save(path)) {
                ++written;
                QTextStream(stdout) << path << '\n';
            }
            dialog.hide();
        }
        QApplication::exit(written == 14 ? 0 : 1);
    });
    const int code = app.exec();
    api.stop();
    return code;
}
