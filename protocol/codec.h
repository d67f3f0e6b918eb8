// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// JSON shapes of the HTTP API (design §6), written once for the server and its clients.
// Readers are strict: a wrong type, a value out of range or an unknown field is an
// INVALID_ARGUMENT that names the field.

#include "protocol/error.h"
#include "protocol/metrictypes.h"
#include "protocol/wiretypes.h"

#include <QJsonArray>
#include <QJsonObject>

namespace QueueDeck::Codec {

QJsonObject errorBody(const Error &error);
// Parses a request body as a JSON object; the error says where it is malformed.
Result<QJsonObject> parseObject(const QByteArray &body);

QJsonObject toJson(const EnvironmentInfo &environment);
QJsonObject toJson(const QueueInfo &queue);
QJsonObject toJson(const TaskInfo &task);
QByteArray taskText(const TaskInfo &task); // the same as compact text, several times faster
// {"id": …}: an enqueue's answer when the producer asked for no more (Prefer: return=minimal).
QByteArray taskIdText(const QString &taskId);
QByteArray leasedTasksText(const QList<LeasedTask> &tasks); // a JSON array, as text
QJsonObject toJson(const WorkerInfo &worker);
QJsonObject toJson(const Registration &registration);
QJsonObject toJson(const HeartbeatReply &reply);
QByteArray heartbeatText(const HeartbeatReply &reply); // the same as compact text
// A JSON array of outcomes, as compact text: the same as QJsonArray of toJson(outcome).
QByteArray outcomesText(const QList<ItemOutcome> &outcomes);
QJsonObject toJson(const LeasedTask &task);
QJsonObject toJson(const ItemOutcome &outcome);
QJsonObject toJson(const DashboardSnapshot &dashboard);
QJsonObject toJson(const MetricSeries &series);
QJsonObject settingsToJson(const QueueSettings &settings);
QJsonObject toJson(const ProducerToken &token);
QJsonObject toJson(const AuditEntry &entry);

Result<EnvironmentInfo> environmentFromJson(const QJsonObject &object);
struct QueueCreate
{
    QString name;
    QueueSettings settings;
};
Result<QueueCreate> queueCreateFromJson(const QJsonObject &object);
Result<QueuePatch> queuePatchFromJson(const QJsonObject &object);
Result<EnqueueRequest> enqueueFromJson(const QJsonObject &object);
// The same from the request body as sent (errors as parseObject's, then enqueueFromJson's): a
// payload already in compact form is taken as it was sent instead of being written again.
Result<EnqueueRequest> enqueueFromBody(const QByteArray &body);
Result<BulkRequest> bulkFromJson(const QJsonObject &object);
Result<QList<EnqueueRequest>> enqueueBatchFromJson(const QJsonObject &object);
struct RegisterBody
{
    RegisterRequest request;
    QString queueName; // the name form: queue_name (+ environment)
    QString environment;
};
Result<RegisterBody> registerFromJson(const QJsonObject &object);
struct HeartbeatBody
{
    QString workerId; // only in the form without the id in the path
    QString status;
    QStringList running;
};
Result<HeartbeatBody> heartbeatFromJson(const QJsonObject &object);
Result<LeaseRequest> leaseFromJson(const QJsonObject &object);
Result<CompleteRequest> completeFromJson(const QJsonObject &object);

// Client side: request bodies, and the objects the server sends back.
// An enqueue's body as compact text, and as an object (read back from that text).
QByteArray enqueueText(const EnqueueRequest &request);
QJsonObject toJson(const EnqueueRequest &request);
QJsonObject toJson(const RegisterRequest &request);
// A complete's body as compact text, and as an object (read back from that text).
QByteArray completeText(const CompleteRequest &request);
QJsonObject toJson(const CompleteRequest &request);
QJsonObject toJson(const QueuePatch &patch);
Result<QueueInfo> queueFromJson(const QJsonObject &object);
Result<TaskInfo> taskFromJson(const QJsonObject &object);
// The same from an answer's body, read directly when it is the compact text servers write.
Result<TaskInfo> taskFromText(QByteArrayView body);
// The id of a taskIdText answer; also read from an answer that carries the whole task.
Result<QString> taskIdFromText(QByteArrayView body);
Result<WorkerInfo> workerFromJson(const QJsonObject &object);
Result<LeasedTask> leasedTaskFromJson(const QJsonObject &object);
// The "results" of a complete: one outcome per acknowledged or failed task.
QList<ItemOutcome> outcomesFromJson(const QJsonObject &answer);
// The answer of a lease or of a complete that leased: its "results" (none for a lease), then its
// "tasks". From a body, read directly when it is the compact text servers write.
Result<CompleteAndLease> completeAndLeaseFromJson(const QJsonObject &answer);
Result<CompleteAndLease> completeAndLeaseFromText(QByteArrayView body);
Result<EnvironmentInfo> environmentInfoFromJson(const QJsonObject &object);
Result<LogLine> logLineFromJson(const QJsonObject &object);
Result<ProducerToken> producerTokenFromJson(const QJsonObject &object);
Result<AuditEntry> auditFromJson(const QJsonObject &object);
Result<DashboardSnapshot> dashboardFromJson(const QJsonObject &object);
Result<QueueCard> queueCardFromJson(const QJsonObject &object);
Result<MetricSeries> metricSeriesFromJson(const QJsonObject &object);
QJsonObject toJson(const BulkRequest &request);
Error errorFromBody(int httpStatus, const QByteArray &body);
// A server's 2xx answer as a JSON object: an empty body is an empty object, any other body that
// is no JSON object an Internal error.
Result<QJsonObject> answerObject(QByteArrayView body);

} // namespace QueueDeck::Codec
