// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// qdeck-floor: what a server between a producer and its store cannot avoid, with everything else
// taken away: the floor under one-by-one enqueue.
//
//   qdeck-floor postgresql://USER@HOST:PORT/DB [N] [ROUNDS]
//   qdeck-floor sqlite:PATH [N] [ROUNDS]
//
// One row (a payload shaped like the peer harness's) is committed N times one after another,
// in three ways, alternating ROUNDS times:
//   direct  the producer commits each row itself: over its own connection to PostgreSQL, as
//           `pgbench -c 1` does, or into SQLite in its own process;
//   relayed the producer sends each row as an HTTP/1.1 POST over loopback TCP to a second
//           process, which commits it exactly as above and answers 201 with a 2-byte body;
//   hop     the same relay, committing nothing: the HTTP round trip between two processes alone.
// The relay parses nothing but the request's length and the producer nothing but the answer's
// status line: no JSON, no event loop, no allocation of their own per request. So `relayed` bounds
// from above what any server between a producer and this store can reach on this machine, and
// its CPU per row from below what such a server spends. SQLite is set up as QueueDeck sets it up
// (WAL, synchronous=NORMAL, exclusive locking). CPU per row of the producer, the relay and the
// PostgreSQL backends (from /proc) is printed beside each rate.

#include <libpq-fe.h>
#include <sqlite3.h>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

namespace {

constexpr const char *Payload = "{\"i\":12345,\"t\":1733078400000000}";

[[noreturn]] void die(const std::string &what)
{
    std::fprintf(stderr, "qdeck-floor: %s\n", what.c_str());
    std::exit(1);
}

// CPU time (user + system) of a process, in microseconds.
long long cpuUs(pid_t pid)
{
    std::ifstream stat("/proc/" + std::to_string(pid) + "/stat");
    std::string line;
    std::getline(stat, line);
    const auto close = line.rfind(')');
    if (close == std::string::npos)
        return 0;
    std::istringstream fields(line.substr(close + 2));
    std::string field;
    long long utime = 0, stime = 0;
    for (int i = 3; fields >> field; ++i) {
        if (i == 14)
            utime = std::stoll(field);
        if (i == 15) {
            stime = std::stoll(field);
            break;
        }
    }
    return (utime + stime) * 1'000'000 / sysconf(_SC_CLK_TCK);
}

// Where rows are committed: one connection of the process that commits.
class Sink
{
public:
    virtual ~Sink() = default;
    virtual void commitRow() = 0;
};

class PostgresSink final : public Sink
{
public:
    explicit PostgresSink(const char *url) : m_connection(PQconnectdb(url))
    {
        if (PQstatus(m_connection) != CONNECTION_OK)
            die(std::string("cannot connect: ") + PQerrorMessage(m_connection));
        PGresult *r = PQprepare(m_connection, "row", "INSERT INTO floor_rows(payload) VALUES ($1)",
                                1, nullptr);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die(std::string("cannot prepare: ") + PQerrorMessage(m_connection));
        PQclear(r);
    }
    ~PostgresSink() override { PQfinish(m_connection); }
    void commitRow() override
    {
        const char *values[] = {Payload};
        PGresult *r = PQexecPrepared(m_connection, "row", 1, values, nullptr, nullptr, 0);
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die(std::string("insert failed: ") + PQerrorMessage(m_connection));
        PQclear(r);
    }

private:
    PGconn *m_connection;
};

class SqliteSink final : public Sink
{
public:
    explicit SqliteSink(const std::string &path)
    {
        if (sqlite3_open(path.c_str(), &m_db) != SQLITE_OK)
            die("cannot open " + path + ": " + sqlite3_errmsg(m_db));
        exec("PRAGMA locking_mode=EXCLUSIVE"); // first, as QueueDeck: no shared-memory index
        exec("PRAGMA journal_mode=WAL");
        exec("PRAGMA synchronous=NORMAL");
        exec("CREATE TABLE IF NOT EXISTS floor_rows(id INTEGER PRIMARY KEY, payload BLOB NOT "
             "NULL)");
        if (sqlite3_prepare_v2(m_db, "INSERT INTO floor_rows(payload) VALUES (?1)", -1, &m_insert,
                               nullptr) != SQLITE_OK)
            die(std::string("cannot prepare: ") + sqlite3_errmsg(m_db));
    }
    ~SqliteSink() override
    {
        sqlite3_finalize(m_insert);
        sqlite3_close(m_db);
    }
    void commitRow() override
    {
        sqlite3_bind_blob(m_insert, 1, Payload, int(std::strlen(Payload)), SQLITE_STATIC);
        if (sqlite3_step(m_insert) != SQLITE_DONE)
            die(std::string("insert failed: ") + sqlite3_errmsg(m_db));
        sqlite3_reset(m_insert);
    }

private:
    void exec(const char *sql)
    {
        if (sqlite3_exec(m_db, sql, nullptr, nullptr, nullptr) != SQLITE_OK)
            die(std::string(sql) + " failed: " + sqlite3_errmsg(m_db));
    }
    sqlite3 *m_db = nullptr;
    sqlite3_stmt *m_insert = nullptr;
};

class NoSink final : public Sink
{
public:
    void commitRow() override {}
};

// The store named on the command line.
struct Store
{
    std::string location;
    bool postgres() const { return location.rfind("postgres", 0) == 0; }
    std::unique_ptr<Sink> open() const
    {
        if (postgres())
            return std::make_unique<PostgresSink>(location.c_str());
        return std::make_unique<SqliteSink>(location.substr(std::strlen("sqlite:")));
    }
};

// The relay: accepts one connection and commits a row (or nothing) for each request on it.
[[noreturn]] void relay(int listener, const Store *store)
{
    std::unique_ptr<Sink> sink = store ? store->open() : std::make_unique<NoSink>();
    const int peer = accept(listener, nullptr, nullptr);
    if (peer < 0)
        die("accept failed");
    const int one = 1;
    setsockopt(peer, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    static const char answer[] =
        "HTTP/1.1 201 Created\r\nContent-Type: application/json\r\nContent-Length: 2\r\n\r\n{}";
    std::vector<char> buffer(65536);
    size_t filled = 0;
    for (;;) {
        const ssize_t got = recv(peer, buffer.data() + filled, buffer.size() - filled, 0);
        if (got <= 0) {
            sink.reset();
            std::_Exit(0);
        }
        filled += size_t(got);
        for (;;) {
            const std::string_view text(buffer.data(), filled);
            const auto end = text.find("\r\n\r\n");
            if (end == std::string_view::npos)
                break;
            const auto length = text.find("Content-Length: ");
            const size_t body =
                length < end ? size_t(std::strtoul(buffer.data() + length + 16, nullptr, 10)) : 0;
            const size_t whole = end + 4 + body;
            if (filled < whole)
                break;
            sink->commitRow();
            if (send(peer, answer, sizeof answer - 1, MSG_NOSIGNAL) != ssize_t(sizeof answer - 1))
                std::_Exit(0);
            std::memmove(buffer.data(), buffer.data() + whole, filled - whole);
            filled -= whole;
        }
    }
}

struct Figures
{
    double rate = 0;
    long long producerUs = 0, relayUs = 0, backendUs = 0;
};

// The PostgreSQL backends of the database but the probe's own (none for SQLite).
std::vector<pid_t> backends(PGconn *probe)
{
    std::vector<pid_t> pids;
    if (!probe)
        return pids;
    PGresult *r = PQexec(probe, "SELECT pid FROM pg_stat_activity WHERE datname = "
                                "current_database() AND pid <> pg_backend_pid()");
    for (int i = 0; i < PQntuples(r); ++i)
        pids.push_back(pid_t(std::atoi(PQgetvalue(r, i, 0))));
    PQclear(r);
    return pids;
}

long long cpuUs(const std::vector<pid_t> &pids)
{
    long long sum = 0;
    for (pid_t pid : pids)
        sum += cpuUs(pid);
    return sum;
}

Figures direct(const Store &store, PGconn *probe, int n)
{
    std::unique_ptr<Sink> sink = store.open();
    const auto pids = backends(probe);
    const long long self0 = cpuUs(getpid()), db0 = cpuUs(pids);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i)
        sink->commitRow();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    return Figures{n / took.count(), (cpuUs(getpid()) - self0) / n, 0, (cpuUs(pids) - db0) / n};
}

// Through a relay that commits into `store`, or nothing when it is null.
Figures relayed(const Store *store, PGconn *probe, int n)
{
    const int listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t size = sizeof address;
    if (bind(listener, reinterpret_cast<sockaddr *>(&address), size) != 0 ||
        listen(listener, 1) != 0 ||
        getsockname(listener, reinterpret_cast<sockaddr *>(&address), &size) != 0)
        die("cannot listen on 127.0.0.1");
    const pid_t child = fork();
    if (child == 0)
        relay(listener, store);
    close(listener);
    const int socket = ::socket(AF_INET, SOCK_STREAM, 0);
    if (connect(socket, reinterpret_cast<sockaddr *>(&address), sizeof address) != 0)
        die("cannot connect to the relay");
    const int one = 1;
    setsockopt(socket, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    std::string request = "POST /api/v1/worker-queues/q/tasks HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                          "Content-Type: application/json\r\nAuthorization: Bearer "
                          "qd_0123456789abcdef0123456789abcdef\r\nContent-Length: ";
    const std::string body = std::string("{\"type\":\"bench\",\"payload\":") + Payload + "}";
    request += std::to_string(body.size()) + "\r\n\r\n" + body;
    char answer[4096];
    const auto exchange = [&] {
        if (send(socket, request.data(), request.size(), MSG_NOSIGNAL) != ssize_t(request.size()))
            die("the relay closed the connection");
        size_t got = 0;
        while (got < 4 || std::string_view(answer, got).find("{}") == std::string_view::npos) {
            const ssize_t r = recv(socket, answer + got, sizeof answer - got, 0);
            if (r <= 0)
                die("the relay closed the connection");
            got += size_t(r);
        }
        if (std::strncmp(answer, "HTTP/1.1 201", 12) != 0)
            die("the relay answered something else than 201");
    };
    exchange(); // the relay has opened its store before it answers the first request
    const auto pids = backends(probe);
    const long long self0 = cpuUs(getpid()), relay0 = cpuUs(child), db0 = cpuUs(pids);
    const auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < n; ++i)
        exchange();
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - start;
    Figures f{n / took.count(), (cpuUs(getpid()) - self0) / n, (cpuUs(child) - relay0) / n,
              (cpuUs(pids) - db0) / n};
    close(socket);
    waitpid(child, nullptr, 0);
    return f;
}

} // namespace

int main(int argc, char **argv)
{
    const char *usage = "usage: qdeck-floor postgresql://USER@HOST:PORT/DB | sqlite:PATH [N=5000] "
                        "[ROUNDS=3]";
    if (argc < 2 || argc > 4)
        die(usage);
    const Store store{argv[1]};
    if (!store.postgres() && store.location.rfind("sqlite:", 0) != 0)
        die(usage);
    const int n = argc > 2 ? std::atoi(argv[2]) : 5000;
    const int rounds = argc > 3 ? std::atoi(argv[3]) : 3;
    if (n < 100 || rounds < 1)
        die("N must be at least 100 and ROUNDS at least 1");
    std::signal(SIGPIPE, SIG_IGN);
    PGconn *probe = nullptr;
    if (store.postgres()) {
        probe = PQconnectdb(argv[1]);
        if (PQstatus(probe) != CONNECTION_OK)
            die(std::string("cannot connect: ") + PQerrorMessage(probe));
        PQclear(PQexec(probe, "SET client_min_messages = warning"));
        PGresult *r = PQexec(probe, "CREATE TABLE IF NOT EXISTS floor_rows(id bigserial PRIMARY "
                                    "KEY, payload bytea NOT NULL)");
        if (PQresultStatus(r) != PGRES_COMMAND_OK)
            die(std::string("cannot create the table floor_rows: ") + PQerrorMessage(probe));
        PQclear(r);
    }
    std::vector<double> ratios;
    std::printf("round  direct rows/s (producer, backend µs/row)  relayed rows/s (producer, relay, "
                "backend µs/row)  hop rows/s (producer, relay µs/row)  relayed/direct\n");
    for (int round = 1; round <= rounds; ++round) {
        const Figures d = direct(store, probe, n);
        const Figures v = relayed(&store, probe, n);
        const Figures h = relayed(nullptr, nullptr, n);
        ratios.push_back(v.rate / d.rate);
        std::printf("%5d  %8.0f (%lld, %lld)  %8.0f (%lld, %lld, %lld)  %8.0f (%lld, %lld)  %.2f\n",
                    round, d.rate, d.producerUs, d.backendUs, v.rate, v.producerUs, v.relayUs,
                    v.backendUs, h.rate, h.producerUs, h.relayUs, ratios.back());
        std::fflush(stdout);
    }
    std::sort(ratios.begin(), ratios.end());
    std::printf("median relayed/direct: %.2f\n", ratios[ratios.size() / 2]);
    if (probe) {
        PQclear(PQexec(probe, "DROP TABLE floor_rows"));
        PQfinish(probe);
    }
    return 0;
}
