// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "prometheustext.h"

namespace QueueDeck::Api::PrometheusText {

namespace {

void describe(QByteArray &text, const char *name, const char *help, const char *type)
{
    text.append("# HELP ").append(name).append(' ').append(help).append('\n');
    text.append("# TYPE ").append(name).append(' ').append(type).append('\n');
}

QByteArray labels(const QueueInfo &queue)
{
    QString environment = queue.environment;
    QString name = queue.name;
    return QByteArray("{queue_id=\"") + queue.id.toUtf8() + "\",environment=\"" +
           environment.replace(u'"', u'_').toUtf8() + "\",queue=\"" +
           name.replace(u'"', u'_').toUtf8() + "\"}";
}

struct Gauge
{
    const char *name;
    const char *help;
    double (*value)(const QueueCard &);
};

const Gauge QueueGauges[] = {
    {"queuedeck_queue_depth", "Tasks ready to run, waiting for a worker.",
     [](const QueueCard &c) { return double(c.queue.counts.queued); }},
    {"queuedeck_queue_scheduled", "Tasks waiting for their run_at.",
     [](const QueueCard &c) { return double(c.queue.counts.scheduled); }},
    {"queuedeck_queue_running", "Tasks leased to workers.",
     [](const QueueCard &c) { return double(c.queue.counts.running); }},
    {"queuedeck_queue_dead", "Dead letters kept.",
     [](const QueueCard &c) { return double(c.queue.counts.dead); }},
    {"queuedeck_queue_oldest_queued_age_seconds", "Age of the oldest ready task.",
     [](const QueueCard &c) { return c.queue.counts.oldestQueuedAgeMs / 1000.0; }},
    {"queuedeck_queue_workers_online", "Slots used: online workers attached.",
     [](const QueueCard &c) { return double(c.queue.counts.workersOnline); }},
    {"queuedeck_queue_capacity", "max_workers of the queue (0 = unlimited).",
     [](const QueueCard &c) { return double(c.queue.settings.maxWorkers); }},
    {"queuedeck_queue_wait_p95_seconds", "p95 wait latency over the last 5 minutes.",
     [](const QueueCard &c) { return c.waitP95Ms / 1000.0; }},
};

} // namespace

QByteArray fromDashboard(const DashboardSnapshot &snapshot)
{
    QByteArray text;
    for (const Gauge &gauge : QueueGauges) {
        describe(text, gauge.name, gauge.help, "gauge");
        for (const QueueCard &card : snapshot.cards)
            text.append(gauge.name)
                .append(labels(card.queue))
                .append(' ')
                .append(QByteArray::number(gauge.value(card)))
                .append('\n');
    }
    describe(text, "queuedeck_workers_online", "Online workers.", "gauge");
    text.append("queuedeck_workers_online ")
        .append(QByteArray::number(snapshot.activeWorkers))
        .append('\n');
    return text;
}

} // namespace QueueDeck::Api::PrometheusText
