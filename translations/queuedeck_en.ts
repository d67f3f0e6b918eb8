<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>QObject</name>
        <message>
            <source>QueueDeck</source>
            <translation>QueueDeck</translation>
        </message>
        <message>
            <source>The server could not listen that way (%1); it listens as before.</source>
            <translation>The server could not listen that way (%1); it listens as before.</translation>
        </message>
        <message>
            <source>Accepting workers from other machines without TLS: tokens and tasks cross the network in plain text. Add a certificate under Network….</source>
            <translation>Accepting workers from other machines without TLS: tokens and tasks cross the network in plain text. Add a certificate under Network….</translation>
        </message>
        <message>
            <source>QueueDeck: durable task queues, with their server embedded.</source>
            <translation>QueueDeck: durable task queues, with their server embedded.</translation>
        </message>
        <message>
            <source>where the embedded server keeps its data</source>
            <translation>where the embedded server keeps its data</translation>
        </message>
        <message>
            <source>the port to serve on (default: the Network setting, 7070; another free one when taken)</source>
            <translation>the port to serve on (default: the Network setting, 7070; another free one when taken)</translation>
        </message>
        <message>
            <source>Could not accept workers from other machines (%1); serving this computer only.</source>
            <translation>Could not accept workers from other machines (%1); serving this computer only.</translation>
        </message>
        <message>
            <source>cannot create %1</source>
            <translation>cannot create %1</translation>
        </message>
        <message>
            <source>The server could not listen that way (%1), nor as before (%2): it does not listen now; restart QueueDeck.</source>
            <translation>The server could not listen that way (%1), nor as before (%2): it does not listen now; restart QueueDeck.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::AlertMonitor</name>
        <message>
            <source>%1: tasks are piling up</source>
            <translation>%1: tasks are piling up</translation>
        </message>
        <message>
            <source>%1 tasks are waiting (alert above %2).</source>
            <translation>%1 tasks are waiting (alert above %2).</translation>
        </message>
        <message>
            <source>%1: tasks wait too long</source>
            <translation>%1: tasks wait too long</translation>
        </message>
        <message>
            <source>The oldest waiting task has waited %1 s (alert above %2 s).</source>
            <translation>The oldest waiting task has waited %1 s (alert above %2 s).</translation>
        </message>
        <message>
            <source>%1: worker lost</source>
            <translation>%1: worker lost</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s) stopped answering; their tasks go back to the queue.</source>
            <translation>
                <numerusform>%n worker stopped answering; their tasks go back to the queue.</numerusform>
                <numerusform>%n workers stopped answering; their tasks go back to the queue.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::AlertsDialog</name>
        <message>
            <source>Alerts</source>
            <translation>Alerts</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>Queue</translation>
        </message>
        <message>
            <source>Depth above</source>
            <translation>Depth above</translation>
        </message>
        <message>
            <source>Oldest waiting above</source>
            <translation>Oldest waiting above</translation>
        </message>
        <message>
            <source>Worker lost</source>
            <translation>Worker lost</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>off</source>
            <translation>off</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>An alert is shown once when a queue crosses its threshold, and again only after it went back under it.</source>
            <translation>An alert is shown once when a queue crosses its threshold, and again only after it went back under it.</translation>
        </message>
        <message>
            <source>Alert thresholds per queue</source>
            <translation>Alert thresholds per queue</translation>
        </message>
        <message>
            <source>Alert when %1 has more tasks waiting than</source>
            <translation>Alert when %1 has more tasks waiting than</translation>
        </message>
        <message>
            <source>Alert when the oldest task of %1 waits longer than</source>
            <translation>Alert when the oldest task of %1 waits longer than</translation>
        </message>
        <message>
            <source>Alert when a worker of %1 is lost</source>
            <translation>Alert when a worker of %1 is lost</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::ChartsView</name>
        <message>
            <source>Depth and running</source>
            <translation>Depth and running</translation>
        </message>
        <message>
            <source>Wait latency</source>
            <translation>Wait latency</translation>
        </message>
        <message>
            <source>Depth</source>
            <translation>Depth</translation>
        </message>
        <message>
            <source>Running</source>
            <translation>Running</translation>
        </message>
        <message>
            <source>p50</source>
            <translation>p50</translation>
        </message>
        <message>
            <source>p95</source>
            <translation>p95</translation>
        </message>
        <message>
            <source>p99</source>
            <translation>p99</translation>
        </message>
        <message>
            <source>ms</source>
            <translation>ms</translation>
        </message>
        <message>
            <source>%1: %2 at %3</source>
            <translation>%1: %2 at %3</translation>
        </message>
        <message>
            <source>All queues</source>
            <translation>All queues</translation>
        </message>
        <message>
            <source>Show:</source>
            <translation>Show:</translation>
        </message>
        <message>
            <source>Live</source>
            <translation>Live</translation>
        </message>
        <message>
            <source>1 h</source>
            <translation>1 h</translation>
        </message>
        <message>
            <source>24 h</source>
            <translation>24 h</translation>
        </message>
        <message>
            <source>7 d</source>
            <translation>7 d</translation>
        </message>
        <message>
            <source>now: depth %1 · running %2 · wait p95 %3 ms</source>
            <translation>now: depth %1 · running %2 · wait p95 %3 ms</translation>
        </message>
        <message>
            <source>over the range: wait p50 %1 ms · p95 %2 ms · p99 %3 ms</source>
            <translation>over the range: wait p50 %1 ms · p95 %2 ms · p99 %3 ms</translation>
        </message>
        <message>
            <source>now: depth %1 · running %2 · wait p95 %3</source>
            <translation>now: depth %1 · running %2 · wait p95 %3</translation>
        </message>
        <message>
            <source>over the range: wait p50 %1 · p95 %2 · p99 %3</source>
            <translation>over the range: wait p50 %1 · p95 %2 · p99 %3</translation>
        </message>
        <message>
            <source>%1 wait: %2 at %3</source>
            <translation>%1 wait: %2 at %3</translation>
        </message>
        <message>
            <source>h</source>
            <translation>h</translation>
        </message>
        <message>
            <source>min</source>
            <translation>min</translation>
        </message>
        <message>
            <source>s</source>
            <translation>s</translation>
        </message>
        <message>
            <source>Runs</source>
            <translation>Runs</translation>
        </message>
        <message>
            <source>Queue shown in the charts</source>
            <translation>Queue shown in the charts</translation>
        </message>
        <message>
            <source>Depth and running chart</source>
            <translation>Depth and running chart</translation>
        </message>
        <message>
            <source>Wait latency chart</source>
            <translation>Wait latency chart</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::DashboardView</name>
        <message>
            <source>Active Workers</source>
            <translation>Active Workers</translation>
        </message>
        <message>
            <source>Queues</source>
            <translation>Queues</translation>
        </message>
        <message>
            <source>Capacity</source>
            <translation>Capacity</translation>
        </message>
        <message>
            <source>Throughput</source>
            <translation>Throughput</translation>
        </message>
        <message>
            <source>Error rate</source>
            <translation>Error rate</translation>
        </message>
        <message>
            <source>Last Updated</source>
            <translation>Last Updated</translation>
        </message>
        <message>
            <source>%1 / unlimited</source>
            <translation>%1 / unlimited</translation>
        </message>
        <message>
            <source>%1 / %2</source>
            <translation>%1 / %2</translation>
        </message>
        <message>
            <source>%1/s</source>
            <translation>%1/s</translation>
        </message>
        <message>
            <source>%1 %</source>
            <translation>%1 %</translation>
        </message>
        <message>
            <source>Lost the connection to the server (%1) — reconnecting…</source>
            <translation>Lost the connection to the server (%1) — reconnecting…</translation>
        </message>
        <message>
            <source>Environment shown</source>
            <translation>Environment shown</translation>
        </message>
        <message>
            <source>All environments</source>
            <translation>All environments</translation>
        </message>
        <message>
            <source>&amp;Environment:</source>
            <translation>&amp;Environment:</translation>
        </message>
        <message>
            <source>Environment %1</source>
            <translation>Environment %1</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::EnqueueDialog</name>
        <message>
            <source>Enqueue a Task</source>
            <translation>Enqueue a Task</translation>
        </message>
        <message>
            <source>e.g. send-email</source>
            <translation>e.g. send-email</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>none: run now</source>
            <translation>none: run now</translation>
        </message>
        <message>
            <source>optional: the same key enqueues once</source>
            <translation>optional: the same key enqueues once</translation>
        </message>
        <message>
            <source>Enqueue</source>
            <translation>Enqueue</translation>
        </message>
        <message>
            <source>Queue:</source>
            <translation>Queue:</translation>
        </message>
        <message>
            <source>Type:</source>
            <translation>Type:</translation>
        </message>
        <message>
            <source>Payload (JSON):</source>
            <translation>Payload (JSON):</translation>
        </message>
        <message>
            <source>Priority:</source>
            <translation>Priority:</translation>
        </message>
        <message>
            <source>Delay:</source>
            <translation>Delay:</translation>
        </message>
        <message>
            <source>Idempotency key:</source>
            <translation>Idempotency key:</translation>
        </message>
        <message>
            <source>There is no queue yet: create one first.</source>
            <translation>There is no queue yet: create one first.</translation>
        </message>
        <message>
            <source>%1 / %2 workers</source>
            <translation>%1 / %2 workers</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s), no limit</source>
            <translation>
                <numerusform>%n worker, no limit</numerusform>
                <numerusform>%n workers, no limit</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 (%2) — %3</source>
            <translation>%1 (%2) — %3</translation>
        </message>
        <message>
            <source>, none online: tasks will wait</source>
            <translation>, none online: tasks will wait</translation>
        </message>
        <message>
            <source>The payload is not valid JSON: %1 at character %2</source>
            <translation>The payload is not valid JSON: %1 at character %2</translation>
        </message>
        <message>
            <source>Give the task a type, e.g. send-email.</source>
            <translation>Give the task a type, e.g. send-email.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::FaktorySection</name>
        <message>
            <source>Faktory</source>
            <translation>Faktory</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>Show</translation>
        </message>
        <message>
            <source>Rotate</source>
            <translation>Rotate</translation>
        </message>
        <message>
            <source>Speak Faktory for Faktory clients and workers</source>
            <translation>Speak Faktory for Faktory clients and workers</translation>
        </message>
        <message>
            <source>Not listening</source>
            <translation>Not listening</translation>
        </message>
        <message>
            <source>Rotate the Faktory password</source>
            <translation>Rotate the Faktory password</translation>
        </message>
        <message>
            <source>Faktory clients with the old password are refused when they connect again. Make a new password?</source>
            <translation>Faktory clients with the old password are refused when they connect again. Make a new password?</translation>
        </message>
        <message>
            <source>Port:</source>
            <translation>Port:</translation>
        </message>
        <message>
            <source>Address:</source>
            <translation>Address:</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>Password:</translation>
        </message>
        <message>
            <source>The password could not be read: %1</source>
            <translation>The password could not be read: %1</translation>
        </message>
        <message>
            <source>Faktory port</source>
            <translation>Faktory port</translation>
        </message>
        <message>
            <source>Faktory password</source>
            <translation>Faktory password</translation>
        </message>
        <message>
            <source>Show the Faktory password</source>
            <translation>Show the Faktory password</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::MainWindow</name>
        <message>
            <source>Schedules</source>
            <translation>Schedules</translation>
        </message>
        <message>
            <source>QueueDeck</source>
            <translation>QueueDeck</translation>
        </message>
        <message>
            <source>Show QueueDeck</source>
            <translation>Show QueueDeck</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Quit</translation>
        </message>
        <message>
            <source>Main</source>
            <translation>Main</translation>
        </message>
        <message>
            <source>New Queue…</source>
            <translation>New Queue…</translation>
        </message>
        <message>
            <source>Enqueue…</source>
            <translation>Enqueue…</translation>
        </message>
        <message>
            <source>Producer Tokens…</source>
            <translation>Producer Tokens…</translation>
        </message>
        <message>
            <source>Alerts…</source>
            <translation>Alerts…</translation>
        </message>
        <message>
            <source>Servers…</source>
            <translation>Servers…</translation>
        </message>
        <message>
            <source>Network…</source>
            <translation>Network…</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>Dashboard</translation>
        </message>
        <message>
            <source>Charts</source>
            <translation>Charts</translation>
        </message>
        <message>
            <source>Workers</source>
            <translation>Workers</translation>
        </message>
        <message>
            <source>Tasks</source>
            <translation>Tasks</translation>
        </message>
        <message>
            <source>embedded server at %1</source>
            <translation>embedded server at %1</translation>
        </message>
        <message>
            <source>QueueDeck — %1</source>
            <translation>QueueDeck — %1</translation>
        </message>
        <message numerus="yes">
            <source>QueueDeck — %n worker(s) online</source>
            <translation>
                <numerusform>QueueDeck — %n worker online</numerusform>
                <numerusform>QueueDeck — %n workers online</numerusform>
            </translation>
        </message>
        <message>
            <source>, %1 tasks/s</source>
            <translation>, %1 tasks/s</translation>
        </message>
        <message>
            <source>Queue %1 created: copy its connect command from its card.</source>
            <translation>Queue %1 created: copy its connect command from its card.</translation>
        </message>
        <message>
            <source>Task %1 enqueued.</source>
            <translation>Task %1 enqueued.</translation>
        </message>
        <message>
            <source>Queue %1 saved.</source>
            <translation>Queue %1 saved.</translation>
        </message>
        <message>
            <source>Pause %1</source>
            <translation>Pause %1</translation>
        </message>
        <message>
            <source>Pause %1? Workers get no new tasks from it; producers can still enqueue.</source>
            <translation>Pause %1? Workers get no new tasks from it; producers can still enqueue.</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>%1 paused.</source>
            <translation>%1 paused.</translation>
        </message>
        <message>
            <source>%1 resumed.</source>
            <translation>%1 resumed.</translation>
        </message>
        <message>
            <source>Resume %1</source>
            <translation>Resume %1</translation>
        </message>
        <message>
            <source>Purge %1</source>
            <translation>Purge %1</translation>
        </message>
        <message numerus="yes">
            <source>Delete the %n waiting task(s) of %1? Running tasks are left alone. This cannot be undone.</source>
            <translation>
                <numerusform>Delete the %n waiting task of %1? Running tasks are left alone. This cannot be undone.</numerusform>
                <numerusform>Delete the %n waiting tasks of %1? Running tasks are left alone. This cannot be undone.</numerusform>
            </translation>
        </message>
        <message>
            <source>Purge</source>
            <translation>Purge</translation>
        </message>
        <message numerus="yes">
            <source>Purged %n task(s) from %1.</source>
            <translation>
                <numerusform>Purged %n task from %1.</numerusform>
                <numerusform>Purged %n tasks from %1.</numerusform>
            </translation>
        </message>
        <message>
            <source>Rotate join token of %1</source>
            <translation>Rotate join token of %1</translation>
        </message>
        <message>
            <source>Workers already attached keep working; new workers need the new connect command. Rotate now?</source>
            <translation>Workers already attached keep working; new workers need the new connect command. Rotate now?</translation>
        </message>
        <message>
            <source>Rotate</source>
            <translation>Rotate</translation>
        </message>
        <message>
            <source>Rotate %1</source>
            <translation>Rotate %1</translation>
        </message>
        <message>
            <source>New join token for %1: copy the connect command again.</source>
            <translation>New join token for %1: copy the connect command again.</translation>
        </message>
        <message>
            <source>Delete %1</source>
            <translation>Delete %1</translation>
        </message>
        <message>
            <source>Delete the queue %1 with its settings and finished tasks? Attached workers are detached.</source>
            <translation>Delete the queue %1 with its settings and finished tasks? Attached workers are detached.</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>Queue %1 deleted.</source>
            <translation>Queue %1 deleted.</translation>
        </message>
        <message>
            <source>Delete the queue with its tasks anyway?</source>
            <translation>Delete the queue with its tasks anyway?</translation>
        </message>
        <message>
            <source>Delete with tasks</source>
            <translation>Delete with tasks</translation>
        </message>
        <message>
            <source>Workers are attached</source>
            <translation>Workers are attached</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s) are attached to this computer's server. Keep serving them in the background, or stop the server?</source>
            <translation>
                <numerusform>%n worker is attached to this computer's server. Keep serving them in the background, or stop the server?</numerusform>
                <numerusform>%n workers are attached to this computer's server. Keep serving them in the background, or stop the server?</numerusform>
            </translation>
        </message>
        <message>
            <source>Keep Serving in the Tray</source>
            <translation>Keep Serving in the Tray</translation>
        </message>
        <message>
            <source>Keep Serving (Minimize)</source>
            <translation>Keep Serving (Minimize)</translation>
        </message>
        <message>
            <source>Stop Server and Quit</source>
            <translation>Stop Server and Quit</translation>
        </message>
        <message>
            <source>QueueDeck keeps serving</source>
            <translation>QueueDeck keeps serving</translation>
        </message>
        <message>
            <source>The server runs on; open QueueDeck from the tray icon.</source>
            <translation>The server runs on; open QueueDeck from the tray icon.</translation>
        </message>
        <message>
            <source>Read-only: connected with a viewer token</source>
            <translation>Read-only: connected with a viewer token</translation>
        </message>
        <message>
            <source>Environments…</source>
            <translation>Environments…</translation>
        </message>
        <message>
            <source>Metrics</source>
            <translation>Metrics</translation>
        </message>
        <message>
            <source>Find</source>
            <translation>Find</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Refresh</translation>
        </message>
        <message>
            <source>Getting Started</source>
            <translation>Getting Started</translation>
        </message>
        <message>
            <source>Next Tab</source>
            <translation>Next Tab</translation>
        </message>
        <message>
            <source>Previous Tab</source>
            <translation>Previous Tab</translation>
        </message>
        <message>
            <source>Tab %1</source>
            <translation>Tab %1</translation>
        </message>
        <message>
            <source>Refreshed.</source>
            <translation>Refreshed.</translation>
        </message>
        <message>
            <source>The demo runs against this computer's own server: choose it under Servers….</source>
            <translation>The demo runs against this computer's own server: choose it under Servers….</translation>
        </message>
        <message>
            <source>Views</source>
            <translation>Views</translation>
        </message>
        <message>
            <source>The node at %1 stopped answering; now on %2</source>
            <translation>The node at %1 stopped answering; now on %2</translation>
        </message>
        <message>
            <source>Nodes</source>
            <translation>Nodes</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::NetworkDialog</name>
        <message>
            <source>Embedded Server</source>
            <translation>Embedded Server</translation>
        </message>
        <message>
            <source>Accept workers from other machines</source>
            <translation>Accept workers from other machines</translation>
        </message>
        <message>
            <source>Listen on every network interface instead of this computer only</source>
            <translation>Listen on every network interface instead of this computer only</translation>
        </message>
        <message>
            <source>e.g. https://deck.example:7070 (what connect commands advertise)</source>
            <translation>e.g. https://deck.example:7070 (what connect commands advertise)</translation>
        </message>
        <message>
            <source>PEM certificate for HTTPS (optional)</source>
            <translation>PEM certificate for HTTPS (optional)</translation>
        </message>
        <message>
            <source>PEM private key</source>
            <translation>PEM private key</translation>
        </message>
        <message>
            <source>Port:</source>
            <translation>Port:</translation>
        </message>
        <message>
            <source>Public URL:</source>
            <translation>Public URL:</translation>
        </message>
        <message>
            <source>TLS certificate:</source>
            <translation>TLS certificate:</translation>
        </message>
        <message>
            <source>TLS certificate</source>
            <translation>TLS certificate</translation>
        </message>
        <message>
            <source>TLS key:</source>
            <translation>TLS key:</translation>
        </message>
        <message>
            <source>TLS private key</source>
            <translation>TLS private key</translation>
        </message>
        <message>
            <source>Without a TLS certificate, tokens and tasks cross the network in plain text: use this only on a network you trust.</source>
            <translation>Without a TLS certificate, tokens and tasks cross the network in plain text: use this only on a network you trust.</translation>
        </message>
        <message>
            <source>The public URL must look like https://deck.example:7070.</source>
            <translation>The public URL must look like https://deck.example:7070.</translation>
        </message>
        <message>
            <source>Give both the certificate and its key, or neither.</source>
            <translation>Give both the certificate and its key, or neither.</translation>
        </message>
        <message>
            <source>Without a certificate of your own, the server makes a self-signed one and serves HTTPS; the connect commands carry its fingerprint, which workers pin.</source>
            <translation>Without a certificate of your own, the server makes a self-signed one and serves HTTPS; the connect commands carry its fingerprint, which workers pin.</translation>
        </message>
        <message>
            <source>TLS certificate file</source>
            <translation>TLS certificate file</translation>
        </message>
        <message>
            <source>TLS private key file</source>
            <translation>TLS private key file</translation>
        </message>
        <message>
            <source>Choose the file: %1</source>
            <translation>Choose the file: %1</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::QueueCardWidget</name>
        <message>
            <source>Copy</source>
            <translation>Copy</translation>
        </message>
        <message>
            <source>Copy the connect command</source>
            <translation>Copy the connect command</translation>
        </message>
        <message>
            <source>Local</source>
            <translation>Local</translation>
        </message>
        <message>
            <source>Docker</source>
            <translation>Docker</translation>
        </message>
        <message>
            <source>Kubernetes</source>
            <translation>Kubernetes</translation>
        </message>
        <message>
            <source>Where the worker runs: a command for this machine's shell, a Docker script, or a Kubernetes manifest</source>
            <translation>Where the worker runs: a command for this machine's shell, a Docker script, or a Kubernetes manifest</translation>
        </message>
        <message>
            <source>Configure…</source>
            <translation>Configure…</translation>
        </message>
        <message>
            <source>Workers</source>
            <translation>Workers</translation>
        </message>
        <message>
            <source>Tasks</source>
            <translation>Tasks</translation>
        </message>
        <message>
            <source>Charts</source>
            <translation>Charts</translation>
        </message>
        <message>
            <source>More actions</source>
            <translation>More actions</translation>
        </message>
        <message>
            <source>Enqueue a task…</source>
            <translation>Enqueue a task…</translation>
        </message>
        <message>
            <source>Purge waiting tasks…</source>
            <translation>Purge waiting tasks…</translation>
        </message>
        <message>
            <source>Rotate join token…</source>
            <translation>Rotate join token…</translation>
        </message>
        <message>
            <source>Delete queue…</source>
            <translation>Delete queue…</translation>
        </message>
        <message>
            <source>Run this on the machine that should work on this queue; replace ./handle-task with your program. Another machine needs qdeck first: install the qdeck package there (apt install ./qdeck_*.deb), or choose Docker for the worker image.</source>
            <translation>Run this on the machine that should work on this queue; replace ./handle-task with your program. Another machine needs qdeck first: install the qdeck package there (apt install ./qdeck_*.deb), or choose Docker for the worker image.</translation>
        </message>
        <message numerus="yes">
            <source>Docker install script (%n line(s))</source>
            <translation>
                <numerusform>Docker install script (%n line)</numerusform>
                <numerusform>Docker install script (%n lines)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Kubernetes manifest (%n line(s))</source>
            <translation>
                <numerusform>Kubernetes manifest (%n line)</numerusform>
                <numerusform>Kubernetes manifest (%n lines)</numerusform>
            </translation>
        </message>
        <message>
            <source>Copy, then run it with sh on the Docker host.</source>
            <translation>Copy, then run it with sh on the Docker host.</translation>
        </message>
        <message>
            <source>Copy, then apply it with kubectl apply -f -.</source>
            <translation>Copy, then apply it with kubectl apply -f -.</translation>
        </message>
        <message numerus="yes">
            <source>Paused with %n task(s) waiting — resume to run them</source>
            <translation>
                <numerusform>Paused with %n task waiting — resume to run them</numerusform>
                <numerusform>Paused with %n tasks waiting — resume to run them</numerusform>
            </translation>
        </message>
        <message>
            <source>Tasks are waiting but no worker is online — copy the connect command</source>
            <translation>Tasks are waiting but no worker is online — copy the connect command</translation>
        </message>
        <message>
            <source>No capacity — raise Max Workers</source>
            <translation>No capacity — raise Max Workers</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s) lost — check their machines</source>
            <translation>
                <numerusform>%n worker lost — check their machines</numerusform>
                <numerusform>%n workers lost — check their machines</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s)</source>
            <translation>
                <numerusform>%n worker</numerusform>
                <numerusform>%n workers</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 / %2 workers</source>
            <translation>%1 / %2 workers</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>Active</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>Paused</translation>
        </message>
        <message>
            <source>Idle</source>
            <translation>Idle</translation>
        </message>
        <message>
            <source>%1 waiting · %2 running
%3/s in · %4/s done · p95 wait %5 ms</source>
            <translation>%1 waiting · %2 running
%3/s in · %4/s done · p95 wait %5 ms</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Resume</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>Copied</source>
            <translation>Copied</translation>
        </message>
        <message>
            <source>Read-only: connected with a viewer token</source>
            <translation>Read-only: connected with a viewer token</translation>
        </message>
        <message>
            <source>%1 / %2 runs</source>
            <translation>%1 / %2 runs</translation>
        </message>
        <message>
            <source>%1 active, %2 waiting to start; max_active_runs %3</source>
            <translation>%1 active, %2 waiting to start; max_active_runs %3</translation>
        </message>
        <message>
            <source>%1 waiting · %2 running
%3/s in · %4/s done · p95 wait %5</source>
            <translation>%1 waiting · %2 running
%3/s in · %4/s done · p95 wait %5</translation>
        </message>
        <message>
            <source>Depth over the last five minutes</source>
            <translation>Depth over the last five minutes</translation>
        </message>
        <message>
            <source>Waiting tasks over the last five minutes</source>
            <translation>Waiting tasks over the last five minutes</translation>
        </message>
        <message>
            <source>Tasks added minus tasks done per second, over the last minute</source>
            <translation>Tasks added minus tasks done per second, over the last minute</translation>
        </message>
        <message>
            <source>balanced</source>
            <translation>balanced</translation>
        </message>
        <message>
            <source>▲ %1/s more in than done</source>
            <translation>▲ %1/s more in than done</translation>
        </message>
        <message>
            <source>▼ %1/s more done than in</source>
            <translation>▼ %1/s more done than in</translation>
        </message>
        <message numerus="yes">
            <source>Backlog growing for %1 (%n more task(s)): more workers or a higher concurrency would keep up.</source>
            <translation>
                <numerusform>Backlog growing for %1 (%n more task): more workers or a higher concurrency would keep up.</numerusform>
                <numerusform>Backlog growing for %1 (%n more tasks): more workers or a higher concurrency would keep up.</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 in %2</source>
            <translation>%1 in %2</translation>
        </message>
        <message>
            <source>Queue %1</source>
            <translation>Queue %1</translation>
        </message>
        <message>
            <source>Connect command of %1</source>
            <translation>Connect command of %1</translation>
        </message>
        <message>
            <source>Copy the connect command of %1</source>
            <translation>Copy the connect command of %1</translation>
        </message>
        <message>
            <source>Platform of the connect command of %1</source>
            <translation>Platform of the connect command of %1</translation>
        </message>
        <message>
            <source>Configure %1</source>
            <translation>Configure %1</translation>
        </message>
        <message>
            <source>Workers of %1</source>
            <translation>Workers of %1</translation>
        </message>
        <message>
            <source>Tasks of %1</source>
            <translation>Tasks of %1</translation>
        </message>
        <message>
            <source>Charts of %1</source>
            <translation>Charts of %1</translation>
        </message>
        <message>
            <source>Pause or resume %1</source>
            <translation>Pause or resume %1</translation>
        </message>
        <message>
            <source>More actions for %1</source>
            <translation>More actions for %1</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::QueueDialog</name>
        <message>
            <source>New Queue</source>
            <translation>New Queue</translation>
        </message>
        <message>
            <source>Configure %1</source>
            <translation>Configure %1</translation>
        </message>
        <message>
            <source>e.g. emails</source>
            <translation>e.g. emails</translation>
        </message>
        <message>
            <source>shown on the card; the name when empty</source>
            <translation>shown on the card; the name when empty</translation>
        </message>
        <message>
            <source>unlimited</source>
            <translation>unlimited</translation>
        </message>
        <message>
            <source> /s</source>
            <translation> /s</translation>
        </message>
        <message>
            <source>never</source>
            <translation>never</translation>
        </message>
        <message>
            <source>not kept</source>
            <translation>not kept</translation>
        </message>
        <message>
            <source>Paused: accept tasks but dispatch none</source>
            <translation>Paused: accept tasks but dispatch none</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>Queue</translation>
        </message>
        <message>
            <source>Limits</source>
            <translation>Limits</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Time</translation>
        </message>
        <message>
            <source>Retries</source>
            <translation>Retries</translation>
        </message>
        <message>
            <source>Environment:</source>
            <translation>Environment:</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <source>Letters, digits, '-', '_' and '.'; unique in its environment</source>
            <translation>Letters, digits, '-', '_' and '.'; unique in its environment</translation>
        </message>
        <message>
            <source>Display name:</source>
            <translation>Display name:</translation>
        </message>
        <message>
            <source>Description:</source>
            <translation>Description:</translation>
        </message>
        <message>
            <source>Max workers:</source>
            <translation>Max workers:</translation>
        </message>
        <message>
            <source>Workers that may attach at once; one more is refused with "no capacity"</source>
            <translation>Workers that may attach at once; one more is refused with "no capacity"</translation>
        </message>
        <message>
            <source>Concurrency:</source>
            <translation>Concurrency:</translation>
        </message>
        <message>
            <source>Tasks of this queue running at once, over all workers</source>
            <translation>Tasks of this queue running at once, over all workers</translation>
        </message>
        <message>
            <source>Max per key:</source>
            <translation>Max per key:</translation>
        </message>
        <message>
            <source>Running tasks per concurrency key</source>
            <translation>Running tasks per concurrency key</translation>
        </message>
        <message>
            <source>Max depth:</source>
            <translation>Max depth:</translation>
        </message>
        <message>
            <source>Unfinished tasks; an enqueue beyond it is refused at once</source>
            <translation>Unfinished tasks; an enqueue beyond it is refused at once</translation>
        </message>
        <message>
            <source>Rate limit:</source>
            <translation>Rate limit:</translation>
        </message>
        <message>
            <source>Tasks dispatched per second, over all workers</source>
            <translation>Tasks dispatched per second, over all workers</translation>
        </message>
        <message>
            <source>Priority:</source>
            <translation>Priority:</translation>
        </message>
        <message>
            <source>Workers of several queues lease from higher priorities first</source>
            <translation>Workers of several queues lease from higher priorities first</translation>
        </message>
        <message>
            <source>Task timeout:</source>
            <translation>Task timeout:</translation>
        </message>
        <message>
            <source>How long a lease lasts unless the worker extends it</source>
            <translation>How long a lease lasts unless the worker extends it</translation>
        </message>
        <message>
            <source>Worker timeout:</source>
            <translation>Worker timeout:</translation>
        </message>
        <message>
            <source>Silence after which a worker is lost (workers heartbeat every 5 s)</source>
            <translation>Silence after which a worker is lost (workers heartbeat every 5 s)</translation>
        </message>
        <message>
            <source>Max queued time:</source>
            <translation>Max queued time:</translation>
        </message>
        <message>
            <source>A task still waiting after this long goes to the dead letters</source>
            <translation>A task still waiting after this long goes to the dead letters</translation>
        </message>
        <message>
            <source>Keep finished tasks:</source>
            <translation>Keep finished tasks:</translation>
        </message>
        <message>
            <source>Attempts:</source>
            <translation>Attempts:</translation>
        </message>
        <message>
            <source>First backoff:</source>
            <translation>First backoff:</translation>
        </message>
        <message>
            <source>Multiplier:</source>
            <translation>Multiplier:</translation>
        </message>
        <message>
            <source>Longest backoff:</source>
            <translation>Longest backoff:</translation>
        </message>
        <message>
            <source>Create</source>
            <translation>Create</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Save</translation>
        </message>
        <message>
            <source>Choose or type an environment.</source>
            <translation>Choose or type an environment.</translation>
        </message>
        <message>
            <source>Give the queue a name, e.g. emails.</source>
            <translation>Give the queue a name, e.g. emails.</translation>
        </message>
        <message>
            <source>The longest backoff must not be shorter than the first.</source>
            <translation>The longest backoff must not be shorter than the first.</translation>
        </message>
        <message>
            <source>queue ids, e.g. q_8k2m4xa9bc, q_3jv0c1pd7t</source>
            <translation>queue ids, e.g. q_8k2m4xa9bc, q_3jv0c1pd7t</translation>
        </message>
        <message>
            <source>Max active runs:</source>
            <translation>Max active runs:</translation>
        </message>
        <message>
            <source>Runs rooted in this queue that may be active at once; their children are never held back</source>
            <translation>Runs rooted in this queue that may be active at once; their children are never held back</translation>
        </message>
        <message>
            <source>Child queues:</source>
            <translation>Child queues:</translation>
        </message>
        <message>
            <source>Queues besides this one where its tasks may enqueue children</source>
            <translation>Queues besides this one where its tasks may enqueue children</translation>
        </message>
        <message>
            <source>"%1" is not a queue id; list ids such as q_8k2m4xa9bc, separated by commas (a queue's id is on its card).</source>
            <translation>"%1" is not a queue id; list ids such as q_8k2m4xa9bc, separated by commas (a queue's id is on its card).</translation>
        </message>
        <message>
            <source>List at most 100 child queues.</source>
            <translation>List at most 100 child queues.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::ServersDialog</name>
        <message>
            <source>Connect</source>
            <translation>Connect</translation>
        </message>
        <message>
            <source>Servers</source>
            <translation>Servers</translation>
        </message>
        <message>
            <source>This computer (embedded server)</source>
            <translation>This computer (embedded server)</translation>
        </message>
        <message>
            <source>qda_… (from the server's data directory: admin-token)</source>
            <translation>qda_… (from the server's data directory: admin-token)</translation>
        </message>
        <message>
            <source>Forget</source>
            <translation>Forget</translation>
        </message>
        <message>
            <source>Server URL:</source>
            <translation>Server URL:</translation>
        </message>
        <message>
            <source>Admin token:</source>
            <translation>Admin token:</translation>
        </message>
        <message>
            <source>Remembered servers:</source>
            <translation>Remembered servers:</translation>
        </message>
        <message>
            <source>Type the server's URL, e.g. https://deck.example:7070.</source>
            <translation>Type the server's URL, e.g. https://deck.example:7070.</translation>
        </message>
        <message>
            <source>Paste the server's admin token (it starts with qda_; `qdeck token show` prints it on the server).</source>
            <translation>Paste the server's admin token (it starts with qda_; `qdeck token show` prints it on the server).</translation>
        </message>
        <message>
            <source>%1 answered: %2</source>
            <translation>%1 answered: %2</translation>
        </message>
        <message>
            <source>Connected, but the token could not be kept for next time: %1</source>
            <translation>Connected, but the token could not be kept for next time: %1</translation>
        </message>
        <message>
            <source>Trust this server?</source>
            <translation>Trust this server?</translation>
        </message>
        <message>
            <source>%1 presents a certificate that no authority on this computer vouches for, such as the one `qdeck serve` makes for itself.

Its fingerprint is
%2

Trust it only if it is the fingerprint the server printed when it started (or that its connect command carries). It is remembered with the server; a different one later is refused.</source>
            <translation>%1 presents a certificate that no authority on this computer vouches for, such as the one `qdeck serve` makes for itself.

Its fingerprint is
%2

Trust it only if it is the fingerprint the server printed when it started (or that its connect command carries). It is remembered with the server; a different one later is refused.</translation>
        </message>
        <message>
            <source>qda_… (the server's admin-token file), or a qdv_… viewer token to only watch</source>
            <translation>qda_… (the server's admin-token file), or a qdv_… viewer token to only watch</translation>
        </message>
        <message>
            <source>Admin or viewer token:</source>
            <translation>Admin or viewer token:</translation>
        </message>
        <message>
            <source>Paste the server's admin token (it starts with qda_; `qdeck token show` prints it on the server), or a viewer token (qdv_) to watch without changing anything.</source>
            <translation>Paste the server's admin token (it starts with qda_; `qdeck token show` prints it on the server), or a viewer token (qdv_) to watch without changing anything.</translation>
        </message>
        <message>
            <source>Not connected: the certificate of %1 (%2) was not trusted.</source>
            <translation>Not connected: the certificate of %1 (%2) was not trusted.</translation>
        </message>
        <message>
            <source>Refused: the certificate of %1 is not the one trusted before (%2). If the server made a new certificate on purpose, Forget the server and connect again to check its new fingerprint.</source>
            <translation>Refused: the certificate of %1 is not the one trusted before (%2). If the server made a new certificate on purpose, Forget the server and connect again to check its new fingerprint.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::TasksModel</name>
        <message>
            <source>%1 of %2</source>
            <translation>%1 of %2</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>Task</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>Attempts</translation>
        </message>
        <message>
            <source>Enqueued</source>
            <translation>Enqueued</translation>
        </message>
        <message>
            <source>Finished</source>
            <translation>Finished</translation>
        </message>
        <message>
            <source>Last error</source>
            <translation>Last error</translation>
        </message>
        <message>
            <source>attempts used up</source>
            <translation>attempts used up</translation>
        </message>
        <message>
            <source>non-retryable</source>
            <translation>non-retryable</translation>
        </message>
        <message>
            <source>expired</source>
            <translation>expired</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>Reason</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::TasksView</name>
        <message>
            <source>Retry</source>
            <translation>Retry</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Cancel</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>Load more</source>
            <translation>Load more</translation>
        </message>
        <message>
            <source>All matching</source>
            <translation>All matching</translation>
        </message>
        <message>
            <source>Any state</source>
            <translation>Any state</translation>
        </message>
        <message>
            <source>Queued</source>
            <translation>Queued</translation>
        </message>
        <message>
            <source>Scheduled</source>
            <translation>Scheduled</translation>
        </message>
        <message>
            <source>Running</source>
            <translation>Running</translation>
        </message>
        <message>
            <source>Succeeded</source>
            <translation>Succeeded</translation>
        </message>
        <message>
            <source>Dead letters</source>
            <translation>Dead letters</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Cancelled</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>Task id or payload text</source>
            <translation>Task id or payload text</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Search</translation>
        </message>
        <message>
            <source>Select a task to see its payload, attempts, error and result.</source>
            <translation>Select a task to see its payload, attempts, error and result.</translation>
        </message>
        <message>
            <source>The task's log lines appear here as its worker sends them.</source>
            <translation>The task's log lines appear here as its worker sends them.</translation>
        </message>
        <message>
            <source>Run the selected dead, cancelled or finished tasks again</source>
            <translation>Run the selected dead, cancelled or finished tasks again</translation>
        </message>
        <message>
            <source>Cancel the selected tasks; running ones are stopped by their worker</source>
            <translation>Cancel the selected tasks; running ones are stopped by their worker</translation>
        </message>
        <message>
            <source>Delete the selected tasks for good</source>
            <translation>Delete the selected tasks for good</translation>
        </message>
        <message>
            <source>%1 everything that matches…</source>
            <translation>%1 everything that matches…</translation>
        </message>
        <message>
            <source>Act on every task of the queue that matches the search, not only the loaded ones</source>
            <translation>Act on every task of the queue that matches the search, not only the loaded ones</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>Searching…</translation>
        </message>
        <message>
            <source>Search failed: %1</source>
            <translation>Search failed: %1</translation>
        </message>
        <message numerus="yes">
            <source>%n task(s)</source>
            <translation>
                <numerusform>%n task</numerusform>
                <numerusform>%n tasks</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n task(s) loaded, more match</source>
            <translation>
                <numerusform>%n task loaded, more match</numerusform>
                <numerusform>%n tasks loaded, more match</numerusform>
            </translation>
        </message>
        <message>
            <source>Could not load %1: %2</source>
            <translation>Could not load %1: %2</translation>
        </message>
        <message>
            <source>Task:       %1
</source>
            <translation>Task:       %1
</translation>
        </message>
        <message>
            <source>Type:       %1
</source>
            <translation>Type:       %1
</translation>
        </message>
        <message>
            <source>State:      %1</source>
            <translation>State:      %1</translation>
        </message>
        <message>
            <source> (%1)</source>
            <translation> (%1)</translation>
        </message>
        <message>
            <source>Attempts:   %1 of %2
</source>
            <translation>Attempts:   %1 of %2
</translation>
        </message>
        <message>
            <source>Enqueued:   %1
</source>
            <translation>Enqueued:   %1
</translation>
        </message>
        <message>
            <source>Started:    %1
</source>
            <translation>Started:    %1
</translation>
        </message>
        <message>
            <source>Finished:   %1
</source>
            <translation>Finished:   %1
</translation>
        </message>
        <message>
            <source>Worker:     %1
</source>
            <translation>Worker:     %1
</translation>
        </message>
        <message>
            <source>
Error:
%1
</source>
            <translation>
Error:
%1
</translation>
        </message>
        <message>
            <source>
Result:
%1
</source>
            <translation>
Result:
%1
</translation>
        </message>
        <message>
            <source>
Payload:
%1
</source>
            <translation>
Payload:
%1
</translation>
        </message>
        <message>
            <source>state %1</source>
            <translation>state %1</translation>
        </message>
        <message>
            <source>type %1</source>
            <translation>type %1</translation>
        </message>
        <message>
            <source>text "%1"</source>
            <translation>text "%1"</translation>
        </message>
        <message>
            <source>%1 every task of %2 that matches (%3)? This may be many tasks.</source>
            <translation>%1 every task of %2 that matches (%3)? This may be many tasks.</translation>
        </message>
        <message>
            <source>all tasks</source>
            <translation>all tasks</translation>
        </message>
        <message numerus="yes">
            <source>%1 %n selected task(s)?</source>
            <translation>
                <numerusform>%1 %n selected task?</numerusform>
                <numerusform>%1 %n selected tasks?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Done: %n task(s)</source>
            <translation>
                <numerusform>Done: %n task</numerusform>
                <numerusform>Done: %n tasks</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 of %2 failed: %3</source>
            <translation>%1 of %2 failed: %3</translation>
        </message>
        <message>
            <source>Working on everything that matches…</source>
            <translation>Working on everything that matches…</translation>
        </message>
        <message>
            <source>Failed: %1</source>
            <translation>Failed: %1</translation>
        </message>
        <message>
            <source>Read-only: connected with a viewer token</source>
            <translation>Read-only: connected with a viewer token</translation>
        </message>
        <message>
            <source>Queue of the tasks shown</source>
            <translation>Queue of the tasks shown</translation>
        </message>
        <message>
            <source>State of the tasks shown</source>
            <translation>State of the tasks shown</translation>
        </message>
        <message>
            <source>Task type searched</source>
            <translation>Task type searched</translation>
        </message>
        <message>
            <source>Search tasks by id or payload text</source>
            <translation>Search tasks by id or payload text</translation>
        </message>
        <message>
            <source>Tasks list</source>
            <translation>Tasks list</translation>
        </message>
        <message>
            <source>Details of the selected task</source>
            <translation>Details of the selected task</translation>
        </message>
        <message>
            <source>Log of the selected task</source>
            <translation>Log of the selected task</translation>
        </message>
        <message>
            <source>Delete the selected tasks</source>
            <translation>Delete the selected tasks</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::TokensDialog</name>
        <message>
            <source>Copy</source>
            <translation>Copy</translation>
        </message>
        <message>
            <source>Producer Tokens</source>
            <translation>Producer Tokens</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Queues</source>
            <translation>Queues</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Created</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>e.g. billing-service</source>
            <translation>e.g. billing-service</translation>
        </message>
        <message>
            <source>Create token</source>
            <translation>Create token</translation>
        </message>
        <message>
            <source>Revoke…</source>
            <translation>Revoke…</translation>
        </message>
        <message>
            <source>Name the token after who will use it, e.g. billing-service.</source>
            <translation>Name the token after who will use it, e.g. billing-service.</translation>
        </message>
        <message>
            <source>Tick the queues this token may enqueue to.</source>
            <translation>Tick the queues this token may enqueue to.</translation>
        </message>
        <message>
            <source>Revoke token</source>
            <translation>Revoke token</translation>
        </message>
        <message>
            <source>Revoke the token %1? Producers using it are refused from now on.</source>
            <translation>Revoke the token %1? Producers using it are refused from now on.</translation>
        </message>
        <message>
            <source>Copied</source>
            <translation>Copied</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <source>Queues:</source>
            <translation>Queues:</translation>
        </message>
        <message>
            <source>New token</source>
            <translation>New token</translation>
        </message>
        <message>
            <source>This is the only time the token is shown: copy it now into the producer's configuration.</source>
            <translation>This is the only time the token is shown: copy it now into the producer's configuration.</translation>
        </message>
        <message>
            <source>Producer tokens</source>
            <translation>Producer tokens</translation>
        </message>
        <message>
            <source>Queues the new token may enqueue to</source>
            <translation>Queues the new token may enqueue to</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::WorkersModel</name>
        <message>
            <source>%1 s ago</source>
            <translation>%1 s ago</translation>
        </message>
        <message>
            <source>%1 min ago</source>
            <translation>%1 min ago</translation>
        </message>
        <message>
            <source>%1 h ago</source>
            <translation>%1 h ago</translation>
        </message>
        <message>
            <source>ID</source>
            <translation>ID</translation>
        </message>
        <message>
            <source>Host</source>
            <translation>Host</translation>
        </message>
        <message>
            <source>Queues</source>
            <translation>Queues</translation>
        </message>
        <message>
            <source>State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Heartbeat</source>
            <translation>Heartbeat</translation>
        </message>
        <message>
            <source>Running</source>
            <translation>Running</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>Done</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Failed</translation>
        </message>
        <message>
            <source>Labels</source>
            <translation>Labels</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Status</translation>
        </message>
        <message>
            <source>Capabilities</source>
            <translation>Capabilities</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::WorkersView</name>
        <message>
            <source>Drain</source>
            <translation>Drain</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Remove</translation>
        </message>
        <message>
            <source>All queues</source>
            <translation>All queues</translation>
        </message>
        <message>
            <source>Any state</source>
            <translation>Any state</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>Active</translation>
        </message>
        <message>
            <source>Idle</source>
            <translation>Idle</translation>
        </message>
        <message>
            <source>Draining</source>
            <translation>Draining</translation>
        </message>
        <message>
            <source>Lost</source>
            <translation>Lost</translation>
        </message>
        <message>
            <source>Filter by id, host, label…</source>
            <translation>Filter by id, host, label…</translation>
        </message>
        <message>
            <source>Let the selected workers finish what they run, take nothing new, and leave</source>
            <translation>Let the selected workers finish what they run, take nothing new, and leave</translation>
        </message>
        <message>
            <source>Remove the selected workers now and revoke their credentials; their running tasks go back to the queue</source>
            <translation>Remove the selected workers now and revoke their credentials; their running tasks go back to the queue</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s) shown</source>
            <translation>
                <numerusform>%n worker shown</numerusform>
                <numerusform>%n workers shown</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Drain %n worker(s)? They finish their running tasks and leave.</source>
            <translation>
                <numerusform>Drain %n worker? They finish their running tasks and leave.</numerusform>
                <numerusform>Drain %n workers? They finish their running tasks and leave.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Remove %n worker(s) now? Their running tasks go back to the queue and their credentials stop working.</source>
            <translation>
                <numerusform>Remove %n worker now? Their running tasks go back to the queue and their credentials stop working.</numerusform>
                <numerusform>Remove %n workers now? Their running tasks go back to the queue and their credentials stop working.</numerusform>
            </translation>
        </message>
        <message>
            <source>Drain workers</source>
            <translation>Drain workers</translation>
        </message>
        <message>
            <source>Remove workers</source>
            <translation>Remove workers</translation>
        </message>
        <message>
            <source>Draining %1</source>
            <translation>Draining %1</translation>
        </message>
        <message>
            <source>Could not drain %1: %2</source>
            <translation>Could not drain %1: %2</translation>
        </message>
        <message>
            <source>Removed %1</source>
            <translation>Removed %1</translation>
        </message>
        <message>
            <source>Could not remove %1: %2</source>
            <translation>Could not remove %1: %2</translation>
        </message>
        <message>
            <source>Read-only: connected with a viewer token</source>
            <translation>Read-only: connected with a viewer token</translation>
        </message>
        <message>
            <source>Queue of the workers shown</source>
            <translation>Queue of the workers shown</translation>
        </message>
        <message>
            <source>State of the workers shown</source>
            <translation>State of the workers shown</translation>
        </message>
        <message>
            <source>Workers list</source>
            <translation>Workers list</translation>
        </message>
        <message>
            <source>Filter workers</source>
            <translation>Filter workers</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::ScheduleDialog</name>
        <message>
            <source>Change schedule</source>
            <translation>Change schedule</translation>
        </message>
        <message>
            <source>New schedule</source>
            <translation>New schedule</translation>
        </message>
        <message>
            <source>0 2 * * *, @daily or every 15m</source>
            <translation>0 2 * * *, @daily or every 15m</translation>
        </message>
        <message>
            <source>Skip while the previous run is active</source>
            <translation>Skip while the previous run is active</translation>
        </message>
        <message>
            <source>Buffer one fire</source>
            <translation>Buffer one fire</translation>
        </message>
        <message>
            <source>Allow all</source>
            <translation>Allow all</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>Schedule error</source>
            <translation>Schedule error</translation>
        </message>
        <message>
            <source>Next fire times</source>
            <translation>Next fire times</translation>
        </message>
        <message>
            <source>Schedule name</source>
            <translation>Schedule name</translation>
        </message>
        <message>
            <source>Schedule spec</source>
            <translation>Schedule spec</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Spec</source>
            <translation>Spec</translation>
        </message>
        <message>
            <source>Time zone</source>
            <translation>Time zone</translation>
        </message>
        <message>
            <source>Next fires</source>
            <translation>Next fires</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>Queue</translation>
        </message>
        <message>
            <source>Task type</source>
            <translation>Task type</translation>
        </message>
        <message>
            <source>Payload (JSON)</source>
            <translation>Payload (JSON)</translation>
        </message>
        <message>
            <source>Overlap</source>
            <translation>Overlap</translation>
        </message>
        <message>
            <source>Catch-up window</source>
            <translation>Catch-up window</translation>
        </message>
        <message>
            <source>Jitter</source>
            <translation>Jitter</translation>
        </message>
        <message>
            <source>never fires again</source>
            <translation>never fires again</translation>
        </message>
        <message>
            <source>The payload is not JSON: %1</source>
            <translation>The payload is not JSON: %1</translation>
        </message>
        <message>
            <source>Choose the queue the schedule enqueues into.</source>
            <translation>Choose the queue the schedule enqueues into.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::SchedulesModel</name>
        <message>
            <source>paused</source>
            <translation>paused</translation>
        </message>
        <message>
            <source>none</source>
            <translation>none</translation>
        </message>
        <message>
            <source>not fired yet</source>
            <translation>not fired yet</translation>
        </message>
        <message>
            <source>%1 at %2</source>
            <translation>%1 at %2</translation>
        </message>
        <message>
            <source>active</source>
            <translation>active</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Schedule</source>
            <translation>Schedule</translation>
        </message>
        <message>
            <source>Next fire</source>
            <translation>Next fire</translation>
        </message>
        <message>
            <source>Last outcome</source>
            <translation>Last outcome</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>Queue</translation>
        </message>
        <message>
            <source>State</source>
            <translation>State</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::SchedulesView</name>
        <message numerus="yes">
            <source>%n s</source>
            <translation>
                <numerusform>%n s</numerusform>
                <numerusform>%n s</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n min</source>
            <translation>
                <numerusform>%n min</numerusform>
                <numerusform>%n min</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n h</source>
            <translation>
                <numerusform>%n h</numerusform>
                <numerusform>%n h</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n d</source>
            <translation>
                <numerusform>%n day</numerusform>
                <numerusform>%n days</numerusform>
            </translation>
        </message>
        <message>
            <source>next: %1 in %2</source>
            <translation>next: %1 in %2</translation>
        </message>
        <message>
            <source>New schedule…</source>
            <translation>New schedule…</translation>
        </message>
        <message>
            <source>Change…</source>
            <translation>Change…</translation>
        </message>
        <message>
            <source>Trigger now</source>
            <translation>Trigger now</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pause</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Delete</translation>
        </message>
        <message>
            <source>Schedules</source>
            <translation>Schedules</translation>
        </message>
        <message>
            <source>Delete schedule</source>
            <translation>Delete schedule</translation>
        </message>
        <message>
            <source>Delete this schedule and its fire history? Tasks it enqueued stay.</source>
            <translation>Delete this schedule and its fire history? Tasks it enqueued stay.</translation>
        </message>
        <message>
            <source>Read-only: connected with a viewer token</source>
            <translation>Read-only: connected with a viewer token</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Resume</translation>
        </message>
        <message numerus="yes">
            <source>%n schedule(s)</source>
            <translation>
                <numerusform>%n schedule</numerusform>
                <numerusform>%n schedules</numerusform>
            </translation>
        </message>
        <message>
            <source>Fired: %1 %2</source>
            <translation>Fired: %1 %2</translation>
        </message>
        <message>
            <source>Schedules list</source>
            <translation>Schedules list</translation>
        </message>
        <message>
            <source>Delete the selected schedule</source>
            <translation>Delete the selected schedule</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::RunView</name>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 min %2 s</source>
            <translation>%1 min %2 s</translation>
        </message>
        <message>
            <source>waiting to start</source>
            <translation>waiting to start</translation>
        </message>
        <message>
            <source>active</source>
            <translation>active</translation>
        </message>
        <message>
            <source>succeeded</source>
            <translation>succeeded</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>failed</translation>
        </message>
        <message>
            <source>Select a task to see its run.</source>
            <translation>Select a task to see its run.</translation>
        </message>
        <message>
            <source>Run tree</source>
            <translation>Run tree</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>Task</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Type</translation>
        </message>
        <message>
            <source>State</source>
            <translation>State</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>Attempts</translation>
        </message>
        <message>
            <source>Run time</source>
            <translation>Run time</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>Error</translation>
        </message>
        <message>
            <source>Loading run %1…</source>
            <translation>Loading run %1…</translation>
        </message>
        <message>
            <source>Could not load run %1: %2</source>
            <translation>Could not load run %1: %2</translation>
        </message>
        <message>
            <source>Run %1: %2 — %3 of %4 tasks succeeded, %5 failed, %6 unfinished; %7</source>
            <translation>Run %1: %2 — %3 of %4 tasks succeeded, %5 failed, %6 unfinished; %7</translation>
        </message>
    </context>
    <context>
        <name>DurationFormat</name>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>%1 s</source>
            <translation>%1 s</translation>
        </message>
        <message>
            <source>%1 min</source>
            <translation>%1 min</translation>
        </message>
        <message>
            <source>%1 h</source>
            <translation>%1 h</translation>
        </message>
        <message numerus="yes">
            <source>%n day(s)</source>
            <translation>
                <numerusform>%n day</numerusform>
                <numerusform>%n days</numerusform>
            </translation>
        </message>
        <message>
            <source>"%1" is not a duration; type e.g. 90s, 5 min, 1h 30m or 7 days</source>
            <translation>"%1" is not a duration; type e.g. 90s, 5 min, 1h 30m or 7 days</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::EnvironmentsDialog</name>
        <message>
            <source>Create queues on demand</source>
            <translation>Create queues on demand</translation>
        </message>
        <message>
            <source>Delete…</source>
            <translation>Delete…</translation>
        </message>
        <message>
            <source>Environments</source>
            <translation>Environments</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Description</translation>
        </message>
        <message>
            <source>Auto-create</source>
            <translation>Auto-create</translation>
        </message>
        <message>
            <source>Queues</source>
            <translation>Queues</translation>
        </message>
        <message>
            <source>New environment name</source>
            <translation>New environment name</translation>
        </message>
        <message>
            <source>e.g. staging</source>
            <translation>e.g. staging</translation>
        </message>
        <message>
            <source>New environment description</source>
            <translation>New environment description</translation>
        </message>
        <message>
            <source>what runs there, who owns it</source>
            <translation>what runs there, who owns it</translation>
        </message>
        <message>
            <source>An enqueue by queue name creates a missing queue with defaults.</source>
            <translation>An enqueue by queue name creates a missing queue with defaults.</translation>
        </message>
        <message>
            <source>Create environment</source>
            <translation>Create environment</translation>
        </message>
        <message>
            <source>Name the environment, e.g. staging or prod.</source>
            <translation>Name the environment, e.g. staging or prod.</translation>
        </message>
        <message>
            <source>Delete environment</source>
            <translation>Delete environment</translation>
        </message>
        <message>
            <source>Delete the environment %1? Only an environment without queues can be deleted.</source>
            <translation>Delete the environment %1? Only an environment without queues can be deleted.</translation>
        </message>
        <message>
            <source>New environment</source>
            <translation>New environment</translation>
        </message>
        <message>
            <source>on</source>
            <translation>on</translation>
        </message>
        <message>
            <source>off</source>
            <translation>off</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::DurationField</name>
        <message>
            <source>e.g. 90s, 5 min, 1h 30m, 7 days</source>
            <translation>e.g. 90s, 5 min, 1h 30m, 7 days</translation>
        </message>
        <message>
            <source>At least %1.</source>
            <translation>At least %1.</translation>
        </message>
        <message>
            <source>At most %1.</source>
            <translation>At most %1.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::MetricsView</name>
        <message>
            <source>Queue</source>
            <translation>Queue</translation>
        </message>
        <message>
            <source>All queues</source>
            <translation>All queues</translation>
        </message>
        <message>
            <source>Range</source>
            <translation>Range</translation>
        </message>
        <message>
            <source>Live (5 min)</source>
            <translation>Live (5 min)</translation>
        </message>
        <message>
            <source>1 hour</source>
            <translation>1 hour</translation>
        </message>
        <message>
            <source>24 hours</source>
            <translation>24 hours</translation>
        </message>
        <message>
            <source>7 days</source>
            <translation>7 days</translation>
        </message>
        <message>
            <source>Metrics per task type</source>
            <translation>Metrics per task type</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>Attempts</translation>
        </message>
        <message>
            <source>Run time up to</source>
            <translation>Run time up to</translation>
        </message>
        <message>
            <source>Run time</source>
            <translation>Run time</translation>
        </message>
        <message>
            <source>Run-time histogram of the selected task type</source>
            <translation>Run-time histogram of the selected task type</translation>
        </message>
        <message>
            <source>&amp;Queue:</source>
            <translation>&amp;Queue:</translation>
        </message>
        <message>
            <source>&amp;Range:</source>
            <translation>&amp;Range:</translation>
        </message>
        <message>
            <source>Could not load the metrics: %1</source>
            <translation>Could not load the metrics: %1</translation>
        </message>
        <message>
            <source>No tasks ran in this range.</source>
            <translation>No tasks ran in this range.</translation>
        </message>
        <message numerus="yes">
            <source>%n task type(s)</source>
            <translation>
                <numerusform>%n task type</numerusform>
                <numerusform>%n task types</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 processed</source>
            <translation>%1 processed</translation>
        </message>
        <message>
            <source>Run time of %1</source>
            <translation>Run time of %1</translation>
        </message>
        <message>
            <source>other task types</source>
            <translation>other task types</translation>
        </message>
        <message>
            <source>≤ %1</source>
            <translation>≤ %1</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::TypeMetricsModel</name>
        <message>
            <source>Task types beyond the busiest ones of each queue, together</source>
            <translation>Task types beyond the busiest ones of each queue, together</translation>
        </message>
        <message>
            <source>other</source>
            <translation>other</translation>
        </message>
        <message>
            <source>%1 %</source>
            <translation>%1 %</translation>
        </message>
        <message>
            <source>Task type</source>
            <translation>Task type</translation>
        </message>
        <message>
            <source>Processed</source>
            <translation>Processed</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Failed</translation>
        </message>
        <message>
            <source>Run p50</source>
            <translation>Run p50</translation>
        </message>
        <message>
            <source>Run p95</source>
            <translation>Run p95</translation>
        </message>
        <message>
            <source>Run p99</source>
            <translation>Run p99</translation>
        </message>
        <message>
            <source>Wait p50</source>
            <translation>Wait p50</translation>
        </message>
        <message>
            <source>Wait p95</source>
            <translation>Wait p95</translation>
        </message>
        <message>
            <source>Wait p99</source>
            <translation>Wait p99</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::DemoWorker</name>
        <message>
            <source>The qdeck program was not found beside QueueDeck (%1) nor on the PATH. Build it with scripts/dev.sh build, or install the qdeck package, then try again.</source>
            <translation>The qdeck program was not found beside QueueDeck (%1) nor on the PATH. Build it with scripts/dev.sh build, or install the qdeck package, then try again.</translation>
        </message>
        <message>
            <source>Could not write the demo handler to %1: check that the directory is writable.</source>
            <translation>Could not write the demo handler to %1: check that the directory is writable.</translation>
        </message>
        <message>
            <source>Tasks of the demo started by "Try it on this computer"</source>
            <translation>Tasks of the demo started by "Try it on this computer"</translation>
        </message>
        <message>
            <source>The server's connect command for %1 holds no join token.</source>
            <translation>The server's connect command for %1 holds no join token.</translation>
        </message>
        <message>
            <source>The queue %1 vanished while the demo started: try again.</source>
            <translation>The queue %1 vanished while the demo started: try again.</translation>
        </message>
        <message>
            <source>The demo worker could not start (%1): %2</source>
            <translation>The demo worker could not start (%1): %2</translation>
        </message>
        <message>
            <source>The demo worker stopped (exit code %1).</source>
            <translation>The demo worker stopped (exit code %1).</translation>
        </message>
        <message>
            <source>The demo worker stopped (exit code %1): %2</source>
            <translation>The demo worker stopped (exit code %1): %2</translation>
        </message>
        <message>
            <source>Starting a demo worker on this computer…</source>
            <translation>Starting a demo worker on this computer…</translation>
        </message>
        <message numerus="yes">
            <source>The demo worker %1 runs on this computer; sending it %n demo task(s)…</source>
            <translation>
                <numerusform>The demo worker %1 runs on this computer; sending it %n demo task…</numerusform>
                <numerusform>The demo worker %1 runs on this computer; sending it %n demo tasks…</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The demo worker %1 runs on this computer: %2 of %n demo task(s) done. Watch it on the card of the queue %3 and under Workers; it stops when this window closes.</source>
            <translation>
                <numerusform>The demo worker %1 runs on this computer: %2 of %n demo task done. Watch it on the card of the queue %3 and under Workers; it stops when this window closes.</numerusform>
                <numerusform>The demo worker %1 runs on this computer: %2 of %n demo tasks done. Watch it on the card of the queue %3 and under Workers; it stops when this window closes.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::FirstRunGuide</name>
        <message>
            <source>Getting started</source>
            <translation>Getting started</translation>
        </message>
        <message>
            <source>A queue is a lane of work: programs put tasks in, and workers on any machine take them out and run them, each task with your program.</source>
            <translation>A queue is a lane of work: programs put tasks in, and workers on any machine take them out and run them, each task with your program.</translation>
        </message>
        <message>
            <source>There is no queue here yet: make one with New Queue… (%1).</source>
            <translation>There is no queue here yet: make one with New Queue… (%1).</translation>
        </message>
        <message>
            <source>&lt;ol style="margin-left: 0"&gt;&lt;li&gt;&lt;b&gt;Copy&lt;/b&gt; the connect command from a queue's card.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Run it&lt;/b&gt; on the machine that should do the work, with your program in place of &lt;code&gt;./handle-task&lt;/code&gt;.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Watch it attach:&lt;/b&gt; the card says 1 / 10 workers and Active, and the tasks run.&lt;/li&gt;&lt;/ol&gt;</source>
            <translation>&lt;ol style="margin-left: 0"&gt;&lt;li&gt;&lt;b&gt;Copy&lt;/b&gt; the connect command from a queue's card.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Run it&lt;/b&gt; on the machine that should do the work, with your program in place of &lt;code&gt;./handle-task&lt;/code&gt;.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Watch it attach:&lt;/b&gt; the card says 1 / 10 workers and Active, and the tasks run.&lt;/li&gt;&lt;/ol&gt;</translation>
        </message>
        <message>
            <source>That machine needs the &lt;code&gt;qdeck&lt;/code&gt; program: install the qdeck package there (&lt;code&gt;apt install ./qdeck_*.deb&lt;/code&gt;), or choose Docker or Kubernetes on the card for a script that runs the worker image.</source>
            <translation>That machine needs the &lt;code&gt;qdeck&lt;/code&gt; program: install the qdeck package there (&lt;code&gt;apt install ./qdeck_*.deb&lt;/code&gt;), or choose Docker or Kubernetes on the card for a script that runs the worker image.</translation>
        </message>
        <message>
            <source>&amp;Try It on This Computer</source>
            <translation>&amp;Try It on This Computer</translation>
        </message>
        <message>
            <source>Starts a worker here with an example handler and sends it a few demo tasks; it stops when this window closes.</source>
            <translation>Starts a worker here with an example handler and sends it a few demo tasks; it stops when this window closes.</translation>
        </message>
        <message>
            <source>&amp;Dismiss</source>
            <translation>&amp;Dismiss</translation>
        </message>
        <message>
            <source>Dismiss the getting started guide</source>
            <translation>Dismiss the getting started guide</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::NodesModel</name>
        <message>
            <source>Leader</source>
            <translation>Leader</translation>
        </message>
        <message>
            <source>Follower</source>
            <translation>Follower</translation>
        </message>
        <message>
            <source>Standalone</source>
            <translation>Standalone</translation>
        </message>
        <message>
            <source>Alive</source>
            <translation>Alive</translation>
        </message>
        <message>
            <source>Gone</source>
            <translation>Gone</translation>
        </message>
        <message>
            <source>Gone, last seen %1 ago</source>
            <translation>Gone, last seen %1 ago</translation>
        </message>
        <message>
            <source>Started %1</source>
            <translation>Started %1</translation>
        </message>
        <message>
            <source>Last seen %1</source>
            <translation>Last seen %1</translation>
        </message>
        <message>
            <source>Node</source>
            <translation>Node</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Address</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>Version</translation>
        </message>
        <message>
            <source>Uptime</source>
            <translation>Uptime</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>Role</translation>
        </message>
        <message>
            <source>Connections</source>
            <translation>Connections</translation>
        </message>
        <message>
            <source>Requests/s</source>
            <translation>Requests/s</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::NodesView</name>
        <message>
            <source>Nodes list</source>
            <translation>Nodes list</translation>
        </message>
        <message>
            <source>Nodes status</source>
            <translation>Nodes status</translation>
        </message>
        <message>
            <source>This server does not list its nodes (it is older than this app).</source>
            <translation>This server does not list its nodes (it is older than this app).</translation>
        </message>
        <message>
            <source>Could not load the nodes: %1</source>
            <translation>Could not load the nodes: %1</translation>
        </message>
        <message numerus="yes">
            <source>%n node(s), %1 alive</source>
            <translation>
                <numerusform>%n node, %1 alive</numerusform>
                <numerusform>%n nodes, %1 alive</numerusform>
            </translation>
        </message>
    </context>
</TS>
