// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
// Online backups (admin): the server writes a consistent copy of its database into
// <data-dir>/backups in steps, and a client downloads it in chunks, so that `qdeck admin backup`
// works the same against a remote server and never holds a whole database in memory.
#include "apiservice.h"

#include "engine.h"

#include <QFile>

namespace QueueDeck::Api {

namespace {

// The largest chunk one GET …/content answers.
constexpr qint64 MaxChunkBytes = 8 * 1024 * 1024;

QJsonObject backupJson(const BackupStatus &status)
{
    QJsonObject object{{QStringLiteral("id"), status.id},
                       {QStringLiteral("state"), status.state},
                       {QStringLiteral("pages_done"), status.pagesDone},
                       {QStringLiteral("pages_total"), status.pagesTotal},
                       {QStringLiteral("size_bytes"), status.sizeBytes},
                       {QStringLiteral("path"), status.path}};
    if (!status.error.isEmpty())
        object.insert(QStringLiteral("error"), status.error);
    return object;
}

} // namespace

void ApiService::addBackupRoutes()
{
    // (ApiService::reply is a template of apiroutes.cpp.)
    const auto answer = []<typename T, typename ToJson>(ApiService *self, const Call &call,
                                                        QFuture<Result<T>> future, ToJson toJson,
                                                        int status) {
        const Http::HttpResponder responder = call.responder;
        future.then(self, [responder, toJson, status](const Result<T> &result) {
            if (!result)
                sendError(responder, result.error());
            else if constexpr (std::is_void_v<T>)
                sendJson(responder, status, toJson());
            else
                sendJson(responder, status, toJson(*result));
        });
    };
    m_router.add("POST", QStringLiteral("/api/v1/admin/backups"), Access::Admin,
                 [answer](ApiService *self, const Call &call) {
                     answer(self, call, self->m_engine.startBackup(), &backupJson, 202);
                 });
    m_router.add("GET", QStringLiteral("/api/v1/admin/backups/{bid}"), Access::Admin,
                 [answer](ApiService *self, const Call &call) {
                     answer(self, call, self->m_engine.backupStatus(call.param("bid")), &backupJson,
                            200);
                 });
    m_router.add("DELETE", QStringLiteral("/api/v1/admin/backups/{bid}"), Access::Admin,
                 [answer](ApiService *self, const Call &call) {
                     answer(
                         self, call, self->m_engine.deleteBackup(call.param("bid")),
                         [] {
                             return QJsonObject{{QStringLiteral("deleted"), true}};
                         },
                         200);
                 });
    m_router.add(
        "GET", QStringLiteral("/api/v1/admin/backups/{bid}/content"), Access::Admin,
        [](ApiService *self, const Call &call) {
            const QUrlQuery &query = call.request.query;
            bool offsetOk = true;
            bool lengthOk = true;
            const qint64 offset =
                query.hasQueryItem(QStringLiteral("offset"))
                    ? query.queryItemValue(QStringLiteral("offset")).toLongLong(&offsetOk)
                    : 0;
            const qint64 length =
                query.hasQueryItem(QStringLiteral("length"))
                    ? query.queryItemValue(QStringLiteral("length")).toLongLong(&lengthOk)
                    : MaxChunkBytes;
            if (!offsetOk || !lengthOk || offset < 0 || length < 1 || length > MaxChunkBytes) {
                sendError(call.responder,
                          Error{ErrorCode::InvalidArgument,
                                QStringLiteral("offset must be 0 or more and length between 1 "
                                               "and %1")
                                    .arg(MaxChunkBytes),
                                {}});
                return;
            }
            const Http::HttpResponder responder = call.responder;
            self->m_engine.backupStatus(call.param("bid"))
                .then(self, [responder, offset, length](const Result<BackupStatus> &status) {
                    if (!status) {
                        sendError(responder, status.error());
                        return;
                    }
                    if (status->state != u"done") {
                        sendError(responder,
                                  Error{ErrorCode::FailedPrecondition,
                                        QStringLiteral("backup %1 is %2; download it once it is "
                                                       "done")
                                            .arg(status->id, status->state),
                                        {}});
                        return;
                    }
                    QFile file(status->path);
                    if (!file.open(QIODevice::ReadOnly) || !file.seek(qMin(offset, file.size()))) {
                        sendError(responder, Error{ErrorCode::Unavailable,
                                                   QStringLiteral("cannot read %1: %2")
                                                       .arg(status->path, file.errorString()),
                                                   {}});
                        return;
                    }
                    Http::HttpResponse response;
                    response.contentType = "application/octet-stream";
                    response.headers.append(
                        {"X-QueueDeck-Backup-Size", QByteArray::number(file.size())});
                    response.body = file.read(length);
                    responder.send(response);
                });
        });
}

} // namespace QueueDeck::Api
