// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// The token matrix: every route of the API's own route table, called with no token, a wrong one,
// the admin's, a viewer's, and the join, worker and producer tokens of two queues A and B. The
// route's resources belong to A. A route missing from the expectations below fails the test, so
// a new route cannot skip it.

#include "apihost.h"
#include "enginefixture.h"
#include "protocol/childtoken.h"

#include <QHostAddress>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTcpSocket>

using namespace QueueDeck;
using namespace QueueDeck::Testing;

namespace {

// ChildA: the child token (qdc_) of A's worker for its lease of task A (docs/runs.md).
enum class Who {
    None,
    Wrong,
    Viewer,
    JoinB,
    WorkerB,
    ProducerB,
    JoinA,
    ProducerA,
    WorkerA,
    ChildA,
    Admin
};
// The child token before its worker: a worker's own calls (deregister, ack) void the token.
const Who Everyone[] = {Who::None,    Who::Wrong,     Who::Viewer, Who::JoinB,
                        Who::WorkerB, Who::ProducerB, Who::JoinA,  Who::ProducerA,
                        Who::ChildA,  Who::WorkerA,   Who::Admin};

const char *nameOf(Who who)
{
    static const char *const names[] = {"none",     "wrong",         "viewer", "join B",
                                        "worker B", "producer B",    "join A", "producer A",
                                        "worker A", "child token A", "admin"};
    return names[int(who)];
}

// What a call must get: 401; 403; anything that is neither an authentication nor a permission
// answer nor a server error (the call was let through; its arguments decide); the same but 2xx;
// or any refusal that is not 401 (the engine refuses another worker's lease, for instance).
enum class Outcome { Unauthenticated, Denied, Through, Success, Refused };

struct Expectation
{
    Api::Access access;
    QByteArray body;               // with %QA% %QB% %QNAME% %TA% %LEASE% %WA% %N% filled in
    QList<Who> deniedAnyway = {};  // refused by the handler although the route lets them in
    QList<Who> refusedAnyway = {}; // refused past authorisation, by the engine, with any 4xx
};

using Api::Access;

// Every route and who may call it. Keep in step with server/api/apiroutes.cpp: the test fails
// for a route that is missing here, for an entry whose route is gone, and for a route whose
// declared access differs from the one written here.
const QHash<QByteArray, Expectation> &expectations()
{
    static const QHash<QByteArray, Expectation> table{
        {"GET /api/v1/health", {Access::Anyone, {}}},
        {"GET /api/v1/version", {Access::Anyone, {}}},
        {"GET /api/v1/openapi.json", {Access::Anyone, {}}},
        {"GET /api/v1/environments", {Access::Read, {}}},
        {"POST /api/v1/environments", {Access::Admin, R"({"name":"env%N%"})"}},
        // {env} is default: refused past authorisation (it cannot be deleted).
        {"DELETE /api/v1/environments/{env}", {Access::Admin, {}}},
        {"POST /api/v1/environments/{env}/worker-queues", {Access::Admin, R"({"name":"made%N%"})"}},
        {"GET /api/v1/worker-queues", {Access::Read, {}}},
        {"GET /api/v1/environments/{env}/worker-queues", {Access::Read, {}}},
        {"GET /api/v1/worker-queues/{qid}", {Access::Read, {}}},
        {"PATCH /api/v1/worker-queues/{qid}", {Access::Admin, R"({"description":"changed"})"}},
        {"DELETE /api/v1/worker-queues/{qid}", {Access::Admin, {}}},
        {"POST /api/v1/worker-queues/{qid}/pause", {Access::Admin, {}}},
        {"POST /api/v1/worker-queues/{qid}/resume", {Access::Admin, {}}},
        {"POST /api/v1/worker-queues/{qid}/purge", {Access::Admin, {}}},
        {"POST /api/v1/worker-queues/{qid}/rotate-token", {Access::Admin, {}}},
        {"GET /api/v1/worker-queues/{qid}/worker-command", {Access::Read, {}}},
        {"GET /api/v1/worker-queues/{qid}/install-script", {Access::Read, {}}},
        {"GET /api/v1/worker-queues/{qid}/workers", {Access::Read, {}}},
        {"GET /api/v1/workers", {Access::Read, {}}},
        {"POST /api/v1/worker-queues/{qid}/tasks",
         {Access::ProducerOrAdmin, R"({"type":"job","payload":{}})"}},
        {"POST /api/v1/worker-queues/{qid}/tasks:batch",
         {Access::ProducerOrAdmin, R"({"tasks":[{"type":"job","payload":{}}]})"}},
        {"POST /api/v1/worker-queues/{qid}/tasks:bulk",
         {Access::Admin, R"({"action":"retry","filter":{"state":"dead"}})"}},
        {"POST /api/v1/environments/{env}/queues/{name}/tasks",
         // Enqueue by name may create queues: the admin's only, whatever the producer token.
         {Access::ProducerOrAdmin, R"({"type":"job","payload":{}})", {Who::ProducerA}}},
        {"GET /api/v1/worker-queues/{qid}/tasks", {Access::ProducerOrRead, {}}},
        {"GET /api/v1/tasks/{tid}", {Access::ProducerOrRead, {}}},
        {"POST /api/v1/tasks/{tid}/cancel", {Access::Admin, {}}},
        {"POST /api/v1/tasks/{tid}/retry", {Access::Admin, {}}},
        {"DELETE /api/v1/tasks/{tid}", {Access::Admin, {}}},
        {"POST /api/v1/workers/register",
         {Access::JoinOrAdmin, R"({"queue_ids":["%QA%"],"hostname":"h","pid":1})", {Who::JoinB}}},
        {"POST /api/v1/workers/{id}/heartbeat", {Access::Worker, R"({"running":[]})"}},
        {"POST /api/v1/workers/heartbeat",
         {Access::Worker, R"({"worker_id":"%WA%","running":[]})", {Who::WorkerB}}},
        {"POST /api/v1/workers/{id}/lease", {Access::Worker, R"({"max":1,"wait_ms":0})"}},
        {"POST /api/v1/workers/{id}/complete",
         {Access::Worker, R"({"acks":[{"task_id":"%TA%","lease_id":"%LEASE%"}]})"}},
        {"POST /api/v1/tasks/{tid}/ack",
         {Access::Worker, R"({"lease_id":"%LEASE%"})", {}, {Who::WorkerB}}},
        {"POST /api/v1/tasks/{tid}/fail",
         {Access::Worker,
          R"({"lease_id":"%LEASE%","error":"no","retryable":true})",
          {},
          {Who::WorkerB}}},
        {"POST /api/v1/tasks/{tid}/logs",
         {Access::Worker, R"({"lease_id":"%LEASE%","lines":[{"line":"hi"}]})", {}, {Who::WorkerB}}},
        {"GET /api/v1/tasks/{tid}/logs", {Access::ProducerOrRead, {}}},
        {"POST /api/v1/tasks/{tid}/extend",
         {Access::Worker, R"({"lease_id":"%LEASE%"})", {}, {Who::WorkerB}}},
        {"POST /api/v1/workers/{id}/drain", {Access::Admin, {}}},
        {"DELETE /api/v1/workers/{id}", {Access::WorkerOrAdmin, {}}},
        {"POST /api/v1/producer-tokens",
         {Access::Admin, R"({"name":"made%N%","queue_ids":["%QA%"]})"}},
        {"GET /api/v1/producer-tokens", {Access::Read, {}}},
        {"DELETE /api/v1/producer-tokens/{name}", {Access::Admin, {}}},
        {"POST /api/v1/viewer-tokens", {Access::Admin, R"({"name":"made%N%"})"}},
        {"GET /api/v1/viewer-tokens", {Access::Read, {}}},
        {"DELETE /api/v1/viewer-tokens/{name}", {Access::Admin, {}}},
        {"GET /api/v1/audit", {Access::Read, {}}},
        // Backups: the admin's alone. No backup is named by {bid} here, so the admin's reads
        // end in the handler's 404; everyone else is refused before it.
        {"POST /api/v1/admin/backups", {Access::Admin, {}}},
        {"GET /api/v1/admin/backups/{bid}", {Access::Admin, {}, {}, {Who::Admin}}},
        {"GET /api/v1/admin/backups/{bid}/content", {Access::Admin, {}, {}, {Who::Admin}}},
        {"DELETE /api/v1/admin/backups/{bid}", {Access::Admin, {}}},
        // The Faktory listener's password: the admin's alone, a viewer may not read it.
        {"GET /api/v1/admin/faktory-password", {Access::Admin, {}}},
        {"POST /api/v1/admin/faktory-password/rotate", {Access::Admin, {}}},
        // Schedules: the admin manages them, a viewer reads them; producers have no part in them.
        {"GET /api/v1/schedules", {Access::Read, {}}},
        {"POST /api/v1/schedules",
         {Access::Admin,
          R"({"name":"s%N%","spec":"@daily","queue_id":"%QA%","task":{"type":"t"}})"}},
        {"POST /api/v1/schedules/preview", {Access::Read, R"({"spec":"@daily"})"}},
        {"GET /api/v1/schedules/{sid}", {Access::Read, {}, {}, {Who::Admin, Who::Viewer}}},
        {"PATCH /api/v1/schedules/{sid}", {Access::Admin, {}}},
        {"DELETE /api/v1/schedules/{sid}", {Access::Admin, {}}},
        {"POST /api/v1/schedules/{sid}/pause", {Access::Admin, {}}},
        {"POST /api/v1/schedules/{sid}/resume", {Access::Admin, {}}},
        {"POST /api/v1/schedules/{sid}/trigger", {Access::Admin, {}}},
        {"POST /api/v1/schedules/{sid}/backfill", {Access::Admin, {}}},
        {"GET /api/v1/schedules/{sid}/fires", {Access::Read, {}, {}, {Who::Admin, Who::Viewer}}},
        {"GET /api/v1/dashboard", {Access::Read, {}}},
        {"GET /api/v1/worker-queues/{qid}/metrics", {Access::Read, {}}},
        {"GET /api/v1/metrics", {Access::Read, {}}},
        {"GET /api/v1/worker-queues/{qid}/type-metrics", {Access::Read, {}}},
        {"GET /api/v1/type-metrics", {Access::Read, {}}},
        {"GET /api/v1/nodes", {Access::Read, {}}},
        {"GET /api/v1/events", {Access::Read, {}}},
        {"GET /metrics", {Access::Read, {}}},
        // Runs: {rid} is task A, the root of its run.
        {"GET /api/v1/runs/{rid}", {Access::ProducerOrRead, {}}},
        {"POST /api/v1/runs/{rid}/cancel", {Access::Admin, {}}},
        // Children of task A: its worker (credential + lease) or its child token; worker B's
        // credential passes the route and is refused by the engine (not its lease).
        {"POST /api/v1/tasks/{tid}/children",
         {Access::WorkerOrChild, R"({"type":"child","lease_id":"%LEASE%"})", {}, {Who::WorkerB}}},
    };
    return table;
}

// What `who` must get from a route with this access (before the handler's own refusals).
Outcome expected(Access access, Who who, bool isRead)
{
    const Outcome allowed = isRead ? Outcome::Success : Outcome::Through;
    if (access == Access::Anyone)
        return allowed;
    if (who == Who::None || who == Who::Wrong)
        return Outcome::Unauthenticated;
    if (who == Who::Admin)
        return allowed;
    switch (access) {
    case Access::Anyone:
    case Access::Admin:
        return Outcome::Denied;
    case Access::Read:
        return who == Who::Viewer ? allowed : Outcome::Denied;
    case Access::ProducerOrRead:
        return who == Who::Viewer || who == Who::ProducerA ? allowed : Outcome::Denied;
    case Access::ProducerOrAdmin:
        return who == Who::ProducerA ? allowed : Outcome::Denied;
    case Access::JoinOrAdmin:
        return who == Who::JoinA ? allowed : Outcome::Denied;
    case Access::Worker:
    case Access::WorkerOrAdmin:
        return who == Who::WorkerA ? allowed : Outcome::Denied;
    case Access::WorkerOrChild:
        return who == Who::WorkerA || who == Who::ChildA ? allowed : Outcome::Denied;
    }
    return Outcome::Denied;
}

// Resources of one route's turn: two fresh queues, their tokens, a worker on each and a task of
// A leased by A's worker.
struct World
{
    QueueInfo a, b;
    QString workerA, workerB, credentialA, credentialB;
    QString producerNameA, producerA, producerB, viewerName, viewerToRevoke;
    QString taskA, leaseA;
};

// One request on a connection of its own from the given loopback source address (failed
// authentications are slowed per address); the answer's status, or 0.
int statusOf(quint16 port, const QHostAddress &from, const QByteArray &method,
             const QByteArray &path, const QByteArray &body, const QString &token)
{
    QTcpSocket socket;
    if (!socket.bind(from, 0))
        return 0;
    socket.connectToHost(QHostAddress::LocalHost, port);
    if (!socket.waitForConnected(10000))
        return 0;
    QByteArray request = method + ' ' + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\n";
    if (!token.isEmpty())
        request += "Authorization: Bearer " + token.toUtf8() + "\r\n";
    if (!body.isEmpty())
        request += "Content-Type: application/json\r\n";
    request += "Content-Length: " + QByteArray::number(body.size()) + "\r\n\r\n" + body;
    socket.write(request);
    QByteArray received;
    while (!received.contains("\r\n") && socket.waitForReadyRead(10000))
        received += socket.readAll();
    // "HTTP/1.1 200 OK": the status is all this test reads (an event stream never ends).
    return received.startsWith("HTTP/1.1 ") ? received.mid(9, 3).toInt() : 0;
}

} // namespace

class TestTokenMatrix final : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<Engine> m_engine;
    std::unique_ptr<Api::ApiHost> m_api;
    QString m_admin;
    QString m_viewer;
    int m_turn = 0;

    bool makeWorld(World &world)
    {
        const int n = ++m_turn;
        auto a = await(
            m_engine->createQueue(QStringLiteral("default"), QStringLiteral("a%1").arg(n), {}));
        auto b = await(
            m_engine->createQueue(QStringLiteral("default"), QStringLiteral("b%1").arg(n), {}));
        if (!a || !b)
            return false;
        world.a = *a;
        world.b = *b;
        auto workerA = await(m_engine->registerWorker(workerOn({a->id})));
        auto workerB = await(m_engine->registerWorker(workerOn({b->id})));
        auto producerA =
            await(m_engine->createProducerToken(QStringLiteral("pa%1").arg(n), {a->id}));
        auto producerB =
            await(m_engine->createProducerToken(QStringLiteral("pb%1").arg(n), {b->id}));
        auto revocable = await(m_engine->createViewerToken(QStringLiteral("v%1").arg(n)));
        if (!workerA || !workerB || !producerA || !producerB || !revocable)
            return false;
        world.workerA = workerA->workerId;
        world.credentialA = workerA->credential;
        world.workerB = workerB->workerId;
        world.credentialB = workerB->credential;
        world.producerNameA = producerA->name;
        world.producerA = producerA->token;
        world.producerB = producerB->token;
        world.viewerToRevoke = revocable->name;
        auto task = await(m_engine->enqueue(a->id, job()));
        if (!task)
            return false;
        world.taskA = task->id;
        auto leased = await(m_engine->lease(LeaseRequest{world.workerA, 1, 0}));
        if (!leased || leased->size() != 1)
            return false;
        world.leaseA = leased->first().leaseId;
        return true;
    }

    QString tokenOf(Who who, const World &w) const
    {
        switch (who) {
        case Who::None:
            return {};
        case Who::Wrong:
            return QStringLiteral("qda_thisisnotatokenthisserverhasevermade");
        case Who::Viewer:
            return m_viewer;
        case Who::JoinB:
            return w.b.joinToken;
        case Who::WorkerB:
            return w.credentialB;
        case Who::ProducerB:
            return w.producerB;
        case Who::JoinA:
            return w.a.joinToken;
        case Who::ProducerA:
            return w.producerA;
        case Who::WorkerA:
            return w.credentialA;
        case Who::ChildA:
            return ChildToken::makeFromCredential(w.workerA, w.credentialA, w.taskA, w.leaseA);
        case Who::Admin:
            return m_admin;
        }
        return {};
    }

private Q_SLOTS:
    void initTestCase()
    {
        EngineOptions options;
        options.dataDirectory = m_dir.path();
        m_engine = std::make_unique<Engine>(options);
        QVERIFY(m_engine->start());
        auto admin = await(m_engine->initAdminToken(true));
        QVERIFY(admin);
        m_admin = *admin;
        auto viewer = await(m_engine->createViewerToken(QStringLiteral("matrix")));
        QVERIFY(viewer);
        QVERIFY(viewer->token.startsWith(u"qdv_"));
        m_viewer = viewer->token;
        Api::ApiOptions api;
        api.port = 0;
        m_api = std::make_unique<Api::ApiHost>(*m_engine, api);
        QCOMPARE(m_api->start(), QString());
    }
    void cleanupTestCase()
    {
        m_api.reset();
        m_engine.reset();
    }

    // The table above and the server's route table name the same routes with the same access.
    void everyRouteHasAnExpectation()
    {
        const QList<Api::RouteEntry> routes = m_api->routeTable();
        QVERIFY(routes.size() > 40);
        QSet<QString> seen;
        for (const Api::RouteEntry &route : routes) {
            const QString key = QString::fromLatin1(route.method) + u' ' + route.pattern;
            seen.insert(key);
            const auto it = expectations().constFind(key.toUtf8());
            QVERIFY2(it != expectations().cend(),
                     qPrintable(key + u": a route with no entry in the token matrix; add it to "
                                      u"tests/tst_tokenmatrix.cpp with who may call it"));
            QVERIFY2(it->access == route.access,
                     qPrintable(key + u": the route table and the token matrix disagree on who "
                                      u"may call it"));
        }
        for (auto it = expectations().cbegin(); it != expectations().cend(); ++it)
            QVERIFY2(seen.contains(QString::fromUtf8(it.key())),
                     qPrintable(QString::fromUtf8(it.key()) +
                                u": in the token matrix but no longer a route"));
    }

    void everyRouteWithEveryToken()
    {
        const QList<Api::RouteEntry> routes = m_api->routeTable();
        int source = 0;
        int calls = 0;
        for (const Api::RouteEntry &route : routes) {
            const QString key = QString::fromLatin1(route.method) + u' ' + route.pattern;
            const auto entry = expectations().constFind(key.toUtf8());
            QVERIFY2(entry != expectations().cend(), qPrintable(key));
            World world;
            QVERIFY2(makeWorld(world), qPrintable(key));
            // Path parameters name A's resources.
            QString path = route.pattern;
            path.replace(QStringLiteral("{env}"), QStringLiteral("default"))
                .replace(QStringLiteral("{qid}"), world.a.id)
                .replace(QStringLiteral("{tid}"), world.taskA)
                .replace(QStringLiteral("{rid}"), world.taskA)
                .replace(QStringLiteral("{id}"), world.workerA)
                .replace(QStringLiteral("{bid}"), QStringLiteral("b_none"))
                .replace(QStringLiteral("{sid}"), QStringLiteral("s_none"));
            if (route.pattern.contains(u"producer-tokens"))
                path.replace(QStringLiteral("{name}"), world.producerNameA);
            else if (route.pattern.contains(u"viewer-tokens"))
                path.replace(QStringLiteral("{name}"), world.viewerToRevoke);
            else
                path.replace(QStringLiteral("{name}"), world.a.name);
            QByteArray body = entry->body;
            body.replace("%QA%", world.a.id.toUtf8())
                .replace("%QB%", world.b.id.toUtf8())
                .replace("%TA%", world.taskA.toUtf8())
                .replace("%LEASE%", world.leaseA.toUtf8())
                .replace("%WA%", world.workerA.toUtf8())
                .replace("%N%", QByteArray::number(m_turn));
            if (body.isEmpty() && route.method != "GET" && route.method != "DELETE")
                body = "{}";
            // Each route's failures come from an address of their own: none of them is slowed.
            const QHostAddress from(
                QStringLiteral("127.0.%1.%2").arg(1 + source / 250).arg(2 + source % 250));
            ++source;
            for (const Who who : Everyone) {
                Outcome want = expected(entry->access, who, route.method == "GET");
                if (entry->deniedAnyway.contains(who))
                    want = Outcome::Denied;
                if (entry->refusedAnyway.contains(who))
                    want = Outcome::Refused;
                const int status = statusOf(m_api->port(), from, route.method, path.toUtf8(), body,
                                            tokenOf(who, world));
                ++calls;
                const QString what = QStringLiteral("%1 %2 with %3 got %4")
                                         .arg(QString::fromLatin1(route.method), route.pattern,
                                              QString::fromLatin1(nameOf(who)))
                                         .arg(status);
                QVERIFY2(status != 0, qPrintable(what));
                QVERIFY2(status < 500, qPrintable(what));
                switch (want) {
                case Outcome::Unauthenticated:
                    QVERIFY2(status == 401, qPrintable(what + u", not 401"));
                    break;
                case Outcome::Denied:
                    QVERIFY2(status == 403, qPrintable(what + u", not 403"));
                    break;
                case Outcome::Through:
                    QVERIFY2(status != 401 && status != 403,
                             qPrintable(what + u", but may call the route"));
                    break;
                case Outcome::Success:
                    QVERIFY2(status >= 200 && status < 300,
                             qPrintable(what + u", but may read the route"));
                    break;
                case Outcome::Refused:
                    QVERIFY2(status >= 400 && status != 401,
                             qPrintable(what + u", but holds no lease of that task"));
                    break;
                }
            }
        }
        qInfo("%d calls over %lld routes", calls, qlonglong(routes.size()));
    }

    // A child token enqueues children of its task while the lease lives, and nothing else: not
    // for another task, not once the task is done, not when tampered with.
    void childTokenOnlyWhileTheLeaseLives()
    {
        World world;
        QVERIFY(makeWorld(world));
        const QString token = tokenOf(Who::ChildA, world);
        QVERIFY(token.startsWith(u"qdc_"));
        const QByteArray path = "/api/v1/tasks/" + world.taskA.toUtf8() + "/children";
        const QHostAddress from(QStringLiteral("127.0.99.2"));
        const QByteArray body = R"({"type":"child"})";
        QCOMPARE(statusOf(m_api->port(), from, "POST", path, body, token), 201);
        // Into a queue outside child_queues.
        const QByteArray elsewhere = QByteArray(R"({"type":"child","queue_id":")") +
                                     world.b.id.toUtf8() + QByteArray(R"("})");
        QCOMPARE(statusOf(m_api->port(), from, "POST", path, elsewhere, token), 403);
        // For another task, even one of the same worker.
        auto other = await(m_engine->enqueue(world.a.id, job()));
        QVERIFY(other);
        QCOMPARE(statusOf(m_api->port(), from, "POST",
                          "/api/v1/tasks/" + other->id.toUtf8() + "/children", body, token),
                 403);
        // Tampered: one character of the MAC changed.
        QString tampered = token;
        tampered[tampered.size() - 2] = tampered.at(tampered.size() - 2) == u'A' ? u'B' : u'A';
        QCOMPARE(statusOf(m_api->port(), QHostAddress(QStringLiteral("127.0.99.3")), "POST", path,
                          body, tampered),
                 401);
        // Once the task is acknowledged, the same token is refused.
        auto done =
            await(m_engine->complete({world.workerA, {{world.taskA, world.leaseA, {}}}, {}}));
        QVERIFY(done && !done->first().error);
        QCOMPARE(statusOf(m_api->port(), from, "POST", path, body, token), 409);
    }

    // A viewer reads the connect command and install scripts, but never a join token.
    void viewerNeverSeesASecret()
    {
        World world;
        QVERIFY(makeWorld(world));
        for (const QByteArray &path :
             {QByteArray("/api/v1/worker-queues/%1/worker-command"),
              QByteArray("/api/v1/worker-queues/%1/install-script?platform=local"),
              QByteArray("/api/v1/worker-queues/%1/install-script?platform=docker"),
              QByteArray("/api/v1/worker-queues/%1/install-script?platform=kubernetes"),
              QByteArray("/api/v1/worker-queues/%1"), QByteArray("/api/v1/dashboard?q=%1")}) {
            const QByteArray target = QString::fromLatin1(path).arg(world.a.id).toUtf8();
            QTcpSocket socket;
            socket.connectToHost(QHostAddress::LocalHost, m_api->port());
            QVERIFY(socket.waitForConnected(10000));
            for (const QString &token : {m_viewer, m_admin}) {
                socket.write("GET " + target + " HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " +
                             token.toUtf8() + "\r\n\r\n");
                QByteArray answer;
                while (!answer.contains("\r\n\r\n") && socket.waitForReadyRead(10000))
                    answer += socket.readAll();
                const qsizetype headerEnd = answer.indexOf("\r\n\r\n") + 4;
                const QByteArray lengthTag = "Content-Length: ";
                const qsizetype at = answer.indexOf(lengthTag);
                QVERIFY(at > 0);
                const qsizetype length =
                    answer
                        .mid(at + lengthTag.size(),
                             answer.indexOf("\r\n", at) - at - lengthTag.size())
                        .toLongLong();
                while (answer.size() < headerEnd + length && socket.waitForReadyRead(10000))
                    answer += socket.readAll();
                QVERIFY2(answer.startsWith("HTTP/1.1 200"), answer.constData());
                const QByteArray body = answer.mid(headerEnd, length);
                if (token == m_viewer) {
                    QVERIFY2(!body.contains(world.a.joinToken.toUtf8()), target.constData());
                    QVERIFY2(!body.contains("qdj_"), target.constData());
                    if (target.contains("worker-command") || target.contains("install-script"))
                        QVERIFY2(body.contains(Api::ApiDispatcher::joinTokenPlaceholder().toUtf8()),
                                 body.constData());
                } else if (target.contains("worker-command") || target.contains("install-script")) {
                    QVERIFY(body.contains(world.a.joinToken.toUtf8())); // the admin's has it
                }
            }
        }
    }
};

QTEST_GUILESS_MAIN(TestTokenMatrix)
#include "tst_tokenmatrix.moc"
