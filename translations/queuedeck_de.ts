<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>QObject</name>
        <message>
            <source>QueueDeck</source>
            <translation>QueueDeck</translation>
        </message>
        <message>
            <source>The server could not listen that way (%1); it listens as before.</source>
            <translation>Der Server konnte so nicht lauschen (%1); er lauscht wie zuvor.</translation>
        </message>
        <message>
            <source>Accepting workers from other machines without TLS: tokens and tasks cross the network in plain text. Add a certificate under Network….</source>
            <translation>Worker anderer Rechner werden ohne TLS angenommen: Tokens und Aufgaben gehen im Klartext über das Netz. Fügen Sie unter Netzwerk… ein Zertifikat hinzu.</translation>
        </message>
        <message>
            <source>QueueDeck: durable task queues, with their server embedded.</source>
            <translation>QueueDeck: dauerhafte Aufgaben-Warteschlangen, mit eingebettetem Server.</translation>
        </message>
        <message>
            <source>where the embedded server keeps its data</source>
            <translation>wo der eingebettete Server seine Daten ablegt</translation>
        </message>
        <message>
            <source>the port to serve on (default: the Network setting, 7070; another free one when taken)</source>
            <translation>der Port, auf dem gedient wird (Standard: die Netzwerk-Einstellung, 7070; ein anderer freier, wenn belegt)</translation>
        </message>
        <message>
            <source>Could not accept workers from other machines (%1); serving this computer only.</source>
            <translation>Worker anderer Rechner können nicht angenommen werden (%1); nur dieser Rechner wird bedient.</translation>
        </message>
        <message>
            <source>cannot create %1</source>
            <translation>%1 kann nicht angelegt werden</translation>
        </message>
        <message>
            <source>The server could not listen that way (%1), nor as before (%2): it does not listen now; restart QueueDeck.</source>
            <translation>Der Server konnte weder so (%1) noch wie zuvor (%2) lauschen: er lauscht jetzt nicht; starten Sie QueueDeck neu.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::AlertMonitor</name>
        <message>
            <source>%1: tasks are piling up</source>
            <translation>%1: Aufgaben stauen sich</translation>
        </message>
        <message>
            <source>%1 tasks are waiting (alert above %2).</source>
            <translation>%1 Aufgaben warten (Alarm über %2).</translation>
        </message>
        <message>
            <source>%1: tasks wait too long</source>
            <translation>%1: Aufgaben warten zu lange</translation>
        </message>
        <message>
            <source>The oldest waiting task has waited %1 s (alert above %2 s).</source>
            <translation>Die älteste wartende Aufgabe wartet seit %1 s (Alarm über %2 s).</translation>
        </message>
        <message>
            <source>%1: worker lost</source>
            <translation>%1: Worker verloren</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s) stopped answering; their tasks go back to the queue.</source>
            <translation>
                <numerusform>%n Worker antwortet nicht mehr; seine Aufgaben gehen zurück in die Warteschlange.</numerusform>
                <numerusform>%n Worker antworten nicht mehr; ihre Aufgaben gehen zurück in die Warteschlange.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::AlertsDialog</name>
        <message>
            <source>Alerts</source>
            <translation>Alarme</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>Warteschlange</translation>
        </message>
        <message>
            <source>Depth above</source>
            <translation>Tiefe über</translation>
        </message>
        <message>
            <source>Oldest waiting above</source>
            <translation>Älteste Wartezeit über</translation>
        </message>
        <message>
            <source>Worker lost</source>
            <translation>Worker verloren</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>off</source>
            <translation>aus</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>An alert is shown once when a queue crosses its threshold, and again only after it went back under it.</source>
            <translation>Ein Alarm erscheint einmal, wenn eine Warteschlange ihre Schwelle überschreitet, und erst wieder, nachdem sie darunter zurückgefallen ist.</translation>
        </message>
        <message>
            <source>Alert thresholds per queue</source>
            <translation>Alarmschwellen je Warteschlange</translation>
        </message>
        <message>
            <source>Alert when %1 has more tasks waiting than</source>
            <translation>Alarm, wenn in %1 mehr Aufgaben warten als</translation>
        </message>
        <message>
            <source>Alert when the oldest task of %1 waits longer than</source>
            <translation>Alarm, wenn die älteste Aufgabe von %1 länger wartet als</translation>
        </message>
        <message>
            <source>Alert when a worker of %1 is lost</source>
            <translation>Alarm, wenn ein Worker von %1 verloren geht</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::ChartsView</name>
        <message>
            <source>Depth and running</source>
            <translation>Tiefe und laufend</translation>
        </message>
        <message>
            <source>Wait latency</source>
            <translation>Wartezeit</translation>
        </message>
        <message>
            <source>Depth</source>
            <translation>Tiefe</translation>
        </message>
        <message>
            <source>Running</source>
            <translation>Laufend</translation>
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
            <translation>%1: %2 um %3</translation>
        </message>
        <message>
            <source>All queues</source>
            <translation>Alle Warteschlangen</translation>
        </message>
        <message>
            <source>Show:</source>
            <translation>Zeigen:</translation>
        </message>
        <message>
            <source>Live</source>
            <translation>Live</translation>
        </message>
        <message>
            <source>1 h</source>
            <translation>1 Std.</translation>
        </message>
        <message>
            <source>24 h</source>
            <translation>24 Std.</translation>
        </message>
        <message>
            <source>7 d</source>
            <translation>7 Tage</translation>
        </message>
        <message>
            <source>now: depth %1 · running %2 · wait p95 %3 ms</source>
            <translation>jetzt: Tiefe %1 · laufend %2 · Wartezeit p95 %3 ms</translation>
        </message>
        <message>
            <source>over the range: wait p50 %1 ms · p95 %2 ms · p99 %3 ms</source>
            <translation>im Zeitraum: Wartezeit p50 %1 ms · p95 %2 ms · p99 %3 ms</translation>
        </message>
        <message>
            <source>now: depth %1 · running %2 · wait p95 %3</source>
            <translation>jetzt: Tiefe %1 · laufend %2 · Wartezeit p95 %3</translation>
        </message>
        <message>
            <source>over the range: wait p50 %1 · p95 %2 · p99 %3</source>
            <translation>im Zeitraum: Wartezeit p50 %1 · p95 %2 · p99 %3</translation>
        </message>
        <message>
            <source>%1 wait: %2 at %3</source>
            <translation>%1 Wartezeit: %2 um %3</translation>
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
            <translation>Läufe</translation>
        </message>
        <message>
            <source>Queue shown in the charts</source>
            <translation>In den Diagrammen gezeigte Warteschlange</translation>
        </message>
        <message>
            <source>Depth and running chart</source>
            <translation>Diagramm Tiefe und laufend</translation>
        </message>
        <message>
            <source>Wait latency chart</source>
            <translation>Diagramm Wartezeit</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::DashboardView</name>
        <message>
            <source>Active Workers</source>
            <translation>Aktive Worker</translation>
        </message>
        <message>
            <source>Queues</source>
            <translation>Warteschlangen</translation>
        </message>
        <message>
            <source>Capacity</source>
            <translation>Kapazität</translation>
        </message>
        <message>
            <source>Throughput</source>
            <translation>Durchsatz</translation>
        </message>
        <message>
            <source>Error rate</source>
            <translation>Fehlerrate</translation>
        </message>
        <message>
            <source>Last Updated</source>
            <translation>Zuletzt aktualisiert</translation>
        </message>
        <message>
            <source>%1 / unlimited</source>
            <translation>%1 / unbegrenzt</translation>
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
            <translation>Verbindung zum Server verloren (%1) — verbinde neu…</translation>
        </message>
        <message>
            <source>Environment shown</source>
            <translation>Angezeigte Umgebung</translation>
        </message>
        <message>
            <source>All environments</source>
            <translation>Alle Umgebungen</translation>
        </message>
        <message>
            <source>&amp;Environment:</source>
            <translation>&amp;Umgebung:</translation>
        </message>
        <message>
            <source>Environment %1</source>
            <translation>Umgebung %1</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::EnqueueDialog</name>
        <message>
            <source>Enqueue a Task</source>
            <translation>Aufgabe einreihen</translation>
        </message>
        <message>
            <source>e.g. send-email</source>
            <translation>z. B. send-email</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>none: run now</source>
            <translation>keine: sofort ausführen</translation>
        </message>
        <message>
            <source>optional: the same key enqueues once</source>
            <translation>optional: derselbe Schlüssel reiht nur einmal ein</translation>
        </message>
        <message>
            <source>Enqueue</source>
            <translation>Einreihen</translation>
        </message>
        <message>
            <source>Queue:</source>
            <translation>Warteschlange:</translation>
        </message>
        <message>
            <source>Type:</source>
            <translation>Typ:</translation>
        </message>
        <message>
            <source>Payload (JSON):</source>
            <translation>Nutzdaten (JSON):</translation>
        </message>
        <message>
            <source>Priority:</source>
            <translation>Priorität:</translation>
        </message>
        <message>
            <source>Delay:</source>
            <translation>Verzögerung:</translation>
        </message>
        <message>
            <source>Idempotency key:</source>
            <translation>Idempotenz-Schlüssel:</translation>
        </message>
        <message>
            <source>There is no queue yet: create one first.</source>
            <translation>Es gibt noch keine Warteschlange: legen Sie zuerst eine an.</translation>
        </message>
        <message>
            <source>%1 / %2 workers</source>
            <translation>%1 / %2 Worker</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s), no limit</source>
            <translation>
                <numerusform>%n Worker, ohne Grenze</numerusform>
                <numerusform>%n Worker, ohne Grenze</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 (%2) — %3</source>
            <translation>%1 (%2) — %3</translation>
        </message>
        <message>
            <source>, none online: tasks will wait</source>
            <translation>, keiner online: Aufgaben werden warten</translation>
        </message>
        <message>
            <source>The payload is not valid JSON: %1 at character %2</source>
            <translation>Die Nutzdaten sind kein gültiges JSON: %1 bei Zeichen %2</translation>
        </message>
        <message>
            <source>Give the task a type, e.g. send-email.</source>
            <translation>Geben Sie der Aufgabe einen Typ, z. B. send-email.</translation>
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
            <translation>Zeigen</translation>
        </message>
        <message>
            <source>Rotate</source>
            <translation>Erneuern</translation>
        </message>
        <message>
            <source>Speak Faktory for Faktory clients and workers</source>
            <translation>Faktory sprechen, für Faktory-Clients und -Worker</translation>
        </message>
        <message>
            <source>Not listening</source>
            <translation>Lauscht nicht</translation>
        </message>
        <message>
            <source>Rotate the Faktory password</source>
            <translation>Faktory-Passwort erneuern</translation>
        </message>
        <message>
            <source>Faktory clients with the old password are refused when they connect again. Make a new password?</source>
            <translation>Faktory-Clients mit dem alten Passwort werden abgewiesen, sobald sie sich neu verbinden. Ein neues Passwort erzeugen?</translation>
        </message>
        <message>
            <source>Port:</source>
            <translation>Port:</translation>
        </message>
        <message>
            <source>Address:</source>
            <translation>Adresse:</translation>
        </message>
        <message>
            <source>Password:</source>
            <translation>Passwort:</translation>
        </message>
        <message>
            <source>The password could not be read: %1</source>
            <translation>Das Passwort konnte nicht gelesen werden: %1</translation>
        </message>
        <message>
            <source>Faktory port</source>
            <translation>Faktory-Port</translation>
        </message>
        <message>
            <source>Faktory password</source>
            <translation>Faktory-Passwort</translation>
        </message>
        <message>
            <source>Show the Faktory password</source>
            <translation>Faktory-Passwort zeigen</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::MainWindow</name>
        <message>
            <source>Schedules</source>
            <translation>Zeitpläne</translation>
        </message>
        <message>
            <source>QueueDeck</source>
            <translation>QueueDeck</translation>
        </message>
        <message>
            <source>Show QueueDeck</source>
            <translation>QueueDeck zeigen</translation>
        </message>
        <message>
            <source>Quit</source>
            <translation>Beenden</translation>
        </message>
        <message>
            <source>Main</source>
            <translation>Haupt</translation>
        </message>
        <message>
            <source>New Queue…</source>
            <translation>Neue Warteschlange…</translation>
        </message>
        <message>
            <source>Enqueue…</source>
            <translation>Einreihen…</translation>
        </message>
        <message>
            <source>Producer Tokens…</source>
            <translation>Produzenten-Tokens…</translation>
        </message>
        <message>
            <source>Alerts…</source>
            <translation>Alarme…</translation>
        </message>
        <message>
            <source>Servers…</source>
            <translation>Server…</translation>
        </message>
        <message>
            <source>Network…</source>
            <translation>Netzwerk…</translation>
        </message>
        <message>
            <source>Dashboard</source>
            <translation>Übersicht</translation>
        </message>
        <message>
            <source>Charts</source>
            <translation>Diagramme</translation>
        </message>
        <message>
            <source>Workers</source>
            <translation>Worker</translation>
        </message>
        <message>
            <source>Tasks</source>
            <translation>Aufgaben</translation>
        </message>
        <message>
            <source>embedded server at %1</source>
            <translation>eingebetteter Server unter %1</translation>
        </message>
        <message>
            <source>QueueDeck — %1</source>
            <translation>QueueDeck — %1</translation>
        </message>
        <message numerus="yes">
            <source>QueueDeck — %n worker(s) online</source>
            <translation>
                <numerusform>QueueDeck — %n Worker online</numerusform>
                <numerusform>QueueDeck — %n Worker online</numerusform>
            </translation>
        </message>
        <message>
            <source>, %1 tasks/s</source>
            <translation>, %1 Aufgaben/s</translation>
        </message>
        <message>
            <source>Queue %1 created: copy its connect command from its card.</source>
            <translation>Warteschlange %1 angelegt: kopieren Sie ihren Verbindungsbefehl von ihrer Karte.</translation>
        </message>
        <message>
            <source>Task %1 enqueued.</source>
            <translation>Aufgabe %1 eingereiht.</translation>
        </message>
        <message>
            <source>Queue %1 saved.</source>
            <translation>Warteschlange %1 gespeichert.</translation>
        </message>
        <message>
            <source>Pause %1</source>
            <translation>%1 anhalten</translation>
        </message>
        <message>
            <source>Pause %1? Workers get no new tasks from it; producers can still enqueue.</source>
            <translation>%1 anhalten? Worker erhalten daraus keine neuen Aufgaben; Produzenten können weiter einreihen.</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Anhalten</translation>
        </message>
        <message>
            <source>%1 paused.</source>
            <translation>%1 angehalten.</translation>
        </message>
        <message>
            <source>%1 resumed.</source>
            <translation>%1 fortgesetzt.</translation>
        </message>
        <message>
            <source>Resume %1</source>
            <translation>%1 fortsetzen</translation>
        </message>
        <message>
            <source>Purge %1</source>
            <translation>%1 leeren</translation>
        </message>
        <message numerus="yes">
            <source>Delete the %n waiting task(s) of %1? Running tasks are left alone. This cannot be undone.</source>
            <translation>
                <numerusform>Die %n wartende Aufgabe von %1 löschen? Laufende Aufgaben bleiben unberührt. Das lässt sich nicht rückgängig machen.</numerusform>
                <numerusform>Die %n wartenden Aufgaben von %1 löschen? Laufende Aufgaben bleiben unberührt. Das lässt sich nicht rückgängig machen.</numerusform>
            </translation>
        </message>
        <message>
            <source>Purge</source>
            <translation>Leeren</translation>
        </message>
        <message numerus="yes">
            <source>Purged %n task(s) from %1.</source>
            <translation>
                <numerusform>%n Aufgabe aus %1 gelöscht.</numerusform>
                <numerusform>%n Aufgaben aus %1 gelöscht.</numerusform>
            </translation>
        </message>
        <message>
            <source>Rotate join token of %1</source>
            <translation>Beitritts-Token von %1 erneuern</translation>
        </message>
        <message>
            <source>Workers already attached keep working; new workers need the new connect command. Rotate now?</source>
            <translation>Bereits verbundene Worker arbeiten weiter; neue Worker brauchen den neuen Verbindungsbefehl. Jetzt erneuern?</translation>
        </message>
        <message>
            <source>Rotate</source>
            <translation>Erneuern</translation>
        </message>
        <message>
            <source>Rotate %1</source>
            <translation>%1 erneuern</translation>
        </message>
        <message>
            <source>New join token for %1: copy the connect command again.</source>
            <translation>Neues Beitritts-Token für %1: kopieren Sie den Verbindungsbefehl erneut.</translation>
        </message>
        <message>
            <source>Delete %1</source>
            <translation>%1 löschen</translation>
        </message>
        <message>
            <source>Delete the queue %1 with its settings and finished tasks? Attached workers are detached.</source>
            <translation>Die Warteschlange %1 mit ihren Einstellungen und abgeschlossenen Aufgaben löschen? Verbundene Worker werden getrennt.</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <source>Queue %1 deleted.</source>
            <translation>Warteschlange %1 gelöscht.</translation>
        </message>
        <message>
            <source>Delete the queue with its tasks anyway?</source>
            <translation>Die Warteschlange trotzdem mit ihren Aufgaben löschen?</translation>
        </message>
        <message>
            <source>Delete with tasks</source>
            <translation>Mit Aufgaben löschen</translation>
        </message>
        <message>
            <source>Workers are attached</source>
            <translation>Worker sind verbunden</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s) are attached to this computer's server. Keep serving them in the background, or stop the server?</source>
            <translation>
                <numerusform>%n Worker ist mit dem Server dieses Rechners verbunden. Im Hintergrund weiter bedienen oder den Server stoppen?</numerusform>
                <numerusform>%n Worker sind mit dem Server dieses Rechners verbunden. Im Hintergrund weiter bedienen oder den Server stoppen?</numerusform>
            </translation>
        </message>
        <message>
            <source>Keep Serving in the Tray</source>
            <translation>Im Infobereich weiter bedienen</translation>
        </message>
        <message>
            <source>Keep Serving (Minimize)</source>
            <translation>Weiter bedienen (minimieren)</translation>
        </message>
        <message>
            <source>Stop Server and Quit</source>
            <translation>Server stoppen und beenden</translation>
        </message>
        <message>
            <source>QueueDeck keeps serving</source>
            <translation>QueueDeck bedient weiter</translation>
        </message>
        <message>
            <source>The server runs on; open QueueDeck from the tray icon.</source>
            <translation>Der Server läuft weiter; öffnen Sie QueueDeck über das Symbol im Infobereich.</translation>
        </message>
        <message>
            <source>Read-only: connected with a viewer token</source>
            <translation>Nur lesen: mit einem Betrachter-Token verbunden</translation>
        </message>
        <message>
            <source>Environments…</source>
            <translation>Umgebungen…</translation>
        </message>
        <message>
            <source>Metrics</source>
            <translation>Metriken</translation>
        </message>
        <message>
            <source>Find</source>
            <translation>Suchen</translation>
        </message>
        <message>
            <source>Refresh</source>
            <translation>Aktualisieren</translation>
        </message>
        <message>
            <source>Getting Started</source>
            <translation>Erste Schritte</translation>
        </message>
        <message>
            <source>Next Tab</source>
            <translation>Nächster Reiter</translation>
        </message>
        <message>
            <source>Previous Tab</source>
            <translation>Vorheriger Reiter</translation>
        </message>
        <message>
            <source>Tab %1</source>
            <translation>Reiter %1</translation>
        </message>
        <message>
            <source>Refreshed.</source>
            <translation>Aktualisiert.</translation>
        </message>
        <message>
            <source>The demo runs against this computer's own server: choose it under Servers….</source>
            <translation>Die Demo läuft gegen den eigenen Server dieses Computers: Wählen Sie ihn unter Server….</translation>
        </message>
        <message>
            <source>Views</source>
            <translation>Ansichten</translation>
        </message>
        <message>
            <source>The node at %1 stopped answering; now on %2</source>
            <translation>Der Knoten unter %1 antwortet nicht mehr; jetzt auf %2</translation>
        </message>
        <message>
            <source>Nodes</source>
            <translation>Knoten</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::NetworkDialog</name>
        <message>
            <source>Embedded Server</source>
            <translation>Eingebetteter Server</translation>
        </message>
        <message>
            <source>Accept workers from other machines</source>
            <translation>Worker anderer Rechner annehmen</translation>
        </message>
        <message>
            <source>Listen on every network interface instead of this computer only</source>
            <translation>Auf allen Netzwerkschnittstellen lauschen statt nur auf diesem Rechner</translation>
        </message>
        <message>
            <source>e.g. https://deck.example:7070 (what connect commands advertise)</source>
            <translation>z. B. https://deck.example:7070 (was Verbindungsbefehle nennen)</translation>
        </message>
        <message>
            <source>PEM certificate for HTTPS (optional)</source>
            <translation>PEM-Zertifikat für HTTPS (optional)</translation>
        </message>
        <message>
            <source>PEM private key</source>
            <translation>Privater PEM-Schlüssel</translation>
        </message>
        <message>
            <source>Port:</source>
            <translation>Port:</translation>
        </message>
        <message>
            <source>Public URL:</source>
            <translation>Öffentliche URL:</translation>
        </message>
        <message>
            <source>TLS certificate:</source>
            <translation>TLS-Zertifikat:</translation>
        </message>
        <message>
            <source>TLS certificate</source>
            <translation>TLS-Zertifikat</translation>
        </message>
        <message>
            <source>TLS key:</source>
            <translation>TLS-Schlüssel:</translation>
        </message>
        <message>
            <source>TLS private key</source>
            <translation>Privater TLS-Schlüssel</translation>
        </message>
        <message>
            <source>Without a TLS certificate, tokens and tasks cross the network in plain text: use this only on a network you trust.</source>
            <translation>Ohne TLS-Zertifikat gehen Tokens und Aufgaben im Klartext über das Netz: nur in einem vertrauenswürdigen Netz verwenden.</translation>
        </message>
        <message>
            <source>The public URL must look like https://deck.example:7070.</source>
            <translation>Die öffentliche URL muss wie https://deck.example:7070 aussehen.</translation>
        </message>
        <message>
            <source>Give both the certificate and its key, or neither.</source>
            <translation>Geben Sie Zertifikat und Schlüssel an, oder keines von beiden.</translation>
        </message>
        <message>
            <source>Without a certificate of your own, the server makes a self-signed one and serves HTTPS; the connect commands carry its fingerprint, which workers pin.</source>
            <translation>Ohne eigenes Zertifikat erzeugt der Server ein selbstsigniertes und spricht HTTPS; die Verbindungsbefehle enthalten seinen Fingerabdruck, den die Worker festhalten.</translation>
        </message>
        <message>
            <source>TLS certificate file</source>
            <translation>TLS-Zertifikatsdatei</translation>
        </message>
        <message>
            <source>TLS private key file</source>
            <translation>Datei des privaten TLS-Schlüssels</translation>
        </message>
        <message>
            <source>Choose the file: %1</source>
            <translation>Datei wählen: %1</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::QueueCardWidget</name>
        <message>
            <source>Copy</source>
            <translation>Kopieren</translation>
        </message>
        <message>
            <source>Copy the connect command</source>
            <translation>Den Verbindungsbefehl kopieren</translation>
        </message>
        <message>
            <source>Local</source>
            <translation>Lokal</translation>
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
            <translation>Wo der Worker läuft: ein Befehl für die Shell dieses Rechners, ein Docker-Skript oder ein Kubernetes-Manifest</translation>
        </message>
        <message>
            <source>Configure…</source>
            <translation>Einstellen…</translation>
        </message>
        <message>
            <source>Workers</source>
            <translation>Worker</translation>
        </message>
        <message>
            <source>Tasks</source>
            <translation>Aufgaben</translation>
        </message>
        <message>
            <source>Charts</source>
            <translation>Diagramme</translation>
        </message>
        <message>
            <source>More actions</source>
            <translation>Weitere Aktionen</translation>
        </message>
        <message>
            <source>Enqueue a task…</source>
            <translation>Aufgabe einreihen…</translation>
        </message>
        <message>
            <source>Purge waiting tasks…</source>
            <translation>Wartende Aufgaben löschen…</translation>
        </message>
        <message>
            <source>Rotate join token…</source>
            <translation>Beitritts-Token erneuern…</translation>
        </message>
        <message>
            <source>Delete queue…</source>
            <translation>Warteschlange löschen…</translation>
        </message>
        <message>
            <source>Run this on the machine that should work on this queue; replace ./handle-task with your program. Another machine needs qdeck first: install the qdeck package there (apt install ./qdeck_*.deb), or choose Docker for the worker image.</source>
            <translation>Auf dem Rechner ausführen, der diese Warteschlange abarbeiten soll; ersetzen Sie ./handle-task durch Ihr Programm. Ein anderer Rechner braucht zuerst qdeck: installieren Sie dort das Paket qdeck (apt install ./qdeck_*.deb) oder wählen Sie Docker für das Worker-Image.</translation>
        </message>
        <message numerus="yes">
            <source>Docker install script (%n line(s))</source>
            <translation>
                <numerusform>Docker-Installationsskript (%n Zeile)</numerusform>
                <numerusform>Docker-Installationsskript (%n Zeilen)</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Kubernetes manifest (%n line(s))</source>
            <translation>
                <numerusform>Kubernetes-Manifest (%n Zeile)</numerusform>
                <numerusform>Kubernetes-Manifest (%n Zeilen)</numerusform>
            </translation>
        </message>
        <message>
            <source>Copy, then run it with sh on the Docker host.</source>
            <translation>Kopieren, dann auf dem Docker-Host mit sh ausführen.</translation>
        </message>
        <message>
            <source>Copy, then apply it with kubectl apply -f -.</source>
            <translation>Kopieren, dann mit kubectl apply -f - anwenden.</translation>
        </message>
        <message numerus="yes">
            <source>Paused with %n task(s) waiting — resume to run them</source>
            <translation>
                <numerusform>Angehalten, %n Aufgabe wartet — fortsetzen, um sie auszuführen</numerusform>
                <numerusform>Angehalten, %n Aufgaben warten — fortsetzen, um sie auszuführen</numerusform>
            </translation>
        </message>
        <message>
            <source>Tasks are waiting but no worker is online — copy the connect command</source>
            <translation>Aufgaben warten, aber kein Worker ist online — Verbindungsbefehl kopieren</translation>
        </message>
        <message>
            <source>No capacity — raise Max Workers</source>
            <translation>Keine Kapazität — Max. Worker erhöhen</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s) lost — check their machines</source>
            <translation>
                <numerusform>%n Worker verloren — prüfen Sie seinen Rechner</numerusform>
                <numerusform>%n Worker verloren — prüfen Sie ihre Rechner</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s)</source>
            <translation>
                <numerusform>%n Worker</numerusform>
                <numerusform>%n Worker</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 / %2 workers</source>
            <translation>%1 / %2 Worker</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>Aktiv</translation>
        </message>
        <message>
            <source>Paused</source>
            <translation>Angehalten</translation>
        </message>
        <message>
            <source>Idle</source>
            <translation>Untätig</translation>
        </message>
        <message>
            <source>%1 waiting · %2 running
%3/s in · %4/s done · p95 wait %5 ms</source>
            <translation>%1 wartend · %2 laufend
%3/s ein · %4/s fertig · p95 Wartezeit %5 ms</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Fortsetzen</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Anhalten</translation>
        </message>
        <message>
            <source>Copied</source>
            <translation>Kopiert</translation>
        </message>
        <message>
            <source>Read-only: connected with a viewer token</source>
            <translation>Nur lesen: mit einem Betrachter-Token verbunden</translation>
        </message>
        <message>
            <source>%1 / %2 runs</source>
            <translation>%1 / %2 Läufe</translation>
        </message>
        <message>
            <source>%1 active, %2 waiting to start; max_active_runs %3</source>
            <translation>%1 aktiv, %2 warten auf den Start; max_active_runs %3</translation>
        </message>
        <message>
            <source>%1 waiting · %2 running
%3/s in · %4/s done · p95 wait %5</source>
            <translation>%1 wartend · %2 laufend
%3/s ein · %4/s fertig · p95 Wartezeit %5</translation>
        </message>
        <message>
            <source>Depth over the last five minutes</source>
            <translation>Tiefe der letzten fünf Minuten</translation>
        </message>
        <message>
            <source>Waiting tasks over the last five minutes</source>
            <translation>Wartende Aufgaben der letzten fünf Minuten</translation>
        </message>
        <message>
            <source>Tasks added minus tasks done per second, over the last minute</source>
            <translation>Hinzugefügte minus erledigte Aufgaben pro Sekunde, über die letzte Minute</translation>
        </message>
        <message>
            <source>balanced</source>
            <translation>ausgeglichen</translation>
        </message>
        <message>
            <source>▲ %1/s more in than done</source>
            <translation>▲ %1/s mehr hinein als erledigt</translation>
        </message>
        <message>
            <source>▼ %1/s more done than in</source>
            <translation>▼ %1/s mehr erledigt als hinein</translation>
        </message>
        <message numerus="yes">
            <source>Backlog growing for %1 (%n more task(s)): more workers or a higher concurrency would keep up.</source>
            <translation>
                <numerusform>Rückstand wächst seit %1 (%n Aufgabe mehr): mehr Worker oder eine höhere Nebenläufigkeit würden mithalten.</numerusform>
                <numerusform>Rückstand wächst seit %1 (%n Aufgaben mehr): mehr Worker oder eine höhere Nebenläufigkeit würden mithalten.</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 in %2</source>
            <translation>%1 in %2</translation>
        </message>
        <message>
            <source>Queue %1</source>
            <translation>Warteschlange %1</translation>
        </message>
        <message>
            <source>Connect command of %1</source>
            <translation>Verbindungsbefehl von %1</translation>
        </message>
        <message>
            <source>Copy the connect command of %1</source>
            <translation>Verbindungsbefehl von %1 kopieren</translation>
        </message>
        <message>
            <source>Platform of the connect command of %1</source>
            <translation>Plattform des Verbindungsbefehls von %1</translation>
        </message>
        <message>
            <source>Configure %1</source>
            <translation>%1 konfigurieren</translation>
        </message>
        <message>
            <source>Workers of %1</source>
            <translation>Worker von %1</translation>
        </message>
        <message>
            <source>Tasks of %1</source>
            <translation>Aufgaben von %1</translation>
        </message>
        <message>
            <source>Charts of %1</source>
            <translation>Diagramme von %1</translation>
        </message>
        <message>
            <source>Pause or resume %1</source>
            <translation>%1 pausieren oder fortsetzen</translation>
        </message>
        <message>
            <source>More actions for %1</source>
            <translation>Weitere Aktionen für %1</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::QueueDialog</name>
        <message>
            <source>New Queue</source>
            <translation>Neue Warteschlange</translation>
        </message>
        <message>
            <source>Configure %1</source>
            <translation>%1 einstellen</translation>
        </message>
        <message>
            <source>e.g. emails</source>
            <translation>z. B. emails</translation>
        </message>
        <message>
            <source>shown on the card; the name when empty</source>
            <translation>auf der Karte gezeigt; leer: der Name</translation>
        </message>
        <message>
            <source>unlimited</source>
            <translation>unbegrenzt</translation>
        </message>
        <message>
            <source> /s</source>
            <translation> /s</translation>
        </message>
        <message>
            <source>never</source>
            <translation>nie</translation>
        </message>
        <message>
            <source>not kept</source>
            <translation>nicht aufbewahrt</translation>
        </message>
        <message>
            <source>Paused: accept tasks but dispatch none</source>
            <translation>Angehalten: Aufgaben annehmen, aber keine verteilen</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>Warteschlange</translation>
        </message>
        <message>
            <source>Limits</source>
            <translation>Grenzen</translation>
        </message>
        <message>
            <source>Time</source>
            <translation>Zeit</translation>
        </message>
        <message>
            <source>Retries</source>
            <translation>Wiederholungen</translation>
        </message>
        <message>
            <source>Environment:</source>
            <translation>Umgebung:</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <source>Letters, digits, '-', '_' and '.'; unique in its environment</source>
            <translation>Buchstaben, Ziffern, '-', '_' und '.'; eindeutig in ihrer Umgebung</translation>
        </message>
        <message>
            <source>Display name:</source>
            <translation>Anzeigename:</translation>
        </message>
        <message>
            <source>Description:</source>
            <translation>Beschreibung:</translation>
        </message>
        <message>
            <source>Max workers:</source>
            <translation>Max. Worker:</translation>
        </message>
        <message>
            <source>Workers that may attach at once; one more is refused with "no capacity"</source>
            <translation>Worker, die gleichzeitig verbunden sein dürfen; einer mehr wird mit „keine Kapazität“ abgewiesen</translation>
        </message>
        <message>
            <source>Concurrency:</source>
            <translation>Nebenläufigkeit:</translation>
        </message>
        <message>
            <source>Tasks of this queue running at once, over all workers</source>
            <translation>Gleichzeitig laufende Aufgaben dieser Warteschlange, über alle Worker</translation>
        </message>
        <message>
            <source>Max per key:</source>
            <translation>Max. pro Schlüssel:</translation>
        </message>
        <message>
            <source>Running tasks per concurrency key</source>
            <translation>Laufende Aufgaben je Nebenläufigkeits-Schlüssel</translation>
        </message>
        <message>
            <source>Max depth:</source>
            <translation>Max. Tiefe:</translation>
        </message>
        <message>
            <source>Unfinished tasks; an enqueue beyond it is refused at once</source>
            <translation>Unerledigte Aufgaben; ein Einreihen darüber hinaus wird sofort abgewiesen</translation>
        </message>
        <message>
            <source>Rate limit:</source>
            <translation>Ratenlimit:</translation>
        </message>
        <message>
            <source>Tasks dispatched per second, over all workers</source>
            <translation>Verteilte Aufgaben pro Sekunde, über alle Worker</translation>
        </message>
        <message>
            <source>Priority:</source>
            <translation>Priorität:</translation>
        </message>
        <message>
            <source>Workers of several queues lease from higher priorities first</source>
            <translation>Worker mehrerer Warteschlangen holen zuerst aus höheren Prioritäten</translation>
        </message>
        <message>
            <source>Task timeout:</source>
            <translation>Aufgaben-Zeitlimit:</translation>
        </message>
        <message>
            <source>How long a lease lasts unless the worker extends it</source>
            <translation>Wie lange eine Übernahme gilt, sofern der Worker sie nicht verlängert</translation>
        </message>
        <message>
            <source>Worker timeout:</source>
            <translation>Worker-Zeitlimit:</translation>
        </message>
        <message>
            <source>Silence after which a worker is lost (workers heartbeat every 5 s)</source>
            <translation>Stille, nach der ein Worker als verloren gilt (Worker melden sich alle 5 s)</translation>
        </message>
        <message>
            <source>Max queued time:</source>
            <translation>Max. Wartezeit:</translation>
        </message>
        <message>
            <source>A task still waiting after this long goes to the dead letters</source>
            <translation>Eine Aufgabe, die so lange wartet, kommt zu den Dead Letters</translation>
        </message>
        <message>
            <source>Keep finished tasks:</source>
            <translation>Erledigte aufbewahren:</translation>
        </message>
        <message>
            <source>Attempts:</source>
            <translation>Versuche:</translation>
        </message>
        <message>
            <source>First backoff:</source>
            <translation>Erste Pause:</translation>
        </message>
        <message>
            <source>Multiplier:</source>
            <translation>Faktor:</translation>
        </message>
        <message>
            <source>Longest backoff:</source>
            <translation>Längste Pause:</translation>
        </message>
        <message>
            <source>Create</source>
            <translation>Anlegen</translation>
        </message>
        <message>
            <source>Save</source>
            <translation>Speichern</translation>
        </message>
        <message>
            <source>Choose or type an environment.</source>
            <translation>Wählen oder tippen Sie eine Umgebung.</translation>
        </message>
        <message>
            <source>Give the queue a name, e.g. emails.</source>
            <translation>Geben Sie der Warteschlange einen Namen, z. B. emails.</translation>
        </message>
        <message>
            <source>The longest backoff must not be shorter than the first.</source>
            <translation>Die längste Pause darf nicht kürzer als die erste sein.</translation>
        </message>
        <message>
            <source>queue ids, e.g. q_8k2m4xa9bc, q_3jv0c1pd7t</source>
            <translation>Warteschlangen-IDs, z. B. q_8k2m4xa9bc, q_3jv0c1pd7t</translation>
        </message>
        <message>
            <source>Max active runs:</source>
            <translation>Max. aktive Läufe:</translation>
        </message>
        <message>
            <source>Runs rooted in this queue that may be active at once; their children are never held back</source>
            <translation>Läufe mit Wurzel in dieser Warteschlange, die zugleich aktiv sein dürfen; ihre Kinder werden nie zurückgehalten</translation>
        </message>
        <message>
            <source>Child queues:</source>
            <translation>Kind-Warteschlangen:</translation>
        </message>
        <message>
            <source>Queues besides this one where its tasks may enqueue children</source>
            <translation>Warteschlangen außer dieser, in die ihre Aufgaben Kinder einreihen dürfen</translation>
        </message>
        <message>
            <source>"%1" is not a queue id; list ids such as q_8k2m4xa9bc, separated by commas (a queue's id is on its card).</source>
            <translation>„%1“ ist keine Warteschlangen-ID; geben Sie IDs wie q_8k2m4xa9bc an, durch Kommas getrennt (die ID steht auf der Karte der Warteschlange).</translation>
        </message>
        <message>
            <source>List at most 100 child queues.</source>
            <translation>Geben Sie höchstens 100 Kind-Warteschlangen an.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::ServersDialog</name>
        <message>
            <source>Connect</source>
            <translation>Verbinden</translation>
        </message>
        <message>
            <source>Servers</source>
            <translation>Server</translation>
        </message>
        <message>
            <source>This computer (embedded server)</source>
            <translation>Dieser Rechner (eingebetteter Server)</translation>
        </message>
        <message>
            <source>qda_… (from the server's data directory: admin-token)</source>
            <translation>qda_… (aus dem Datenverzeichnis des Servers: admin-token)</translation>
        </message>
        <message>
            <source>Forget</source>
            <translation>Vergessen</translation>
        </message>
        <message>
            <source>Server URL:</source>
            <translation>Server-URL:</translation>
        </message>
        <message>
            <source>Admin token:</source>
            <translation>Admin-Token:</translation>
        </message>
        <message>
            <source>Remembered servers:</source>
            <translation>Gemerkte Server:</translation>
        </message>
        <message>
            <source>Type the server's URL, e.g. https://deck.example:7070.</source>
            <translation>Tippen Sie die URL des Servers, z. B. https://deck.example:7070.</translation>
        </message>
        <message>
            <source>Paste the server's admin token (it starts with qda_; `qdeck token show` prints it on the server).</source>
            <translation>Fügen Sie das Admin-Token des Servers ein (es beginnt mit qda_; `qdeck token show` gibt es auf dem Server aus).</translation>
        </message>
        <message>
            <source>%1 answered: %2</source>
            <translation>%1 antwortete: %2</translation>
        </message>
        <message>
            <source>Connected, but the token could not be kept for next time: %1</source>
            <translation>Verbunden, aber das Token konnte nicht für das nächste Mal aufbewahrt werden: %1</translation>
        </message>
        <message>
            <source>Trust this server?</source>
            <translation>Diesem Server vertrauen?</translation>
        </message>
        <message>
            <source>%1 presents a certificate that no authority on this computer vouches for, such as the one `qdeck serve` makes for itself.

Its fingerprint is
%2

Trust it only if it is the fingerprint the server printed when it started (or that its connect command carries). It is remembered with the server; a different one later is refused.</source>
            <translation>%1 zeigt ein Zertifikat, für das keine Stelle auf diesem Computer bürgt, etwa das, welches `qdeck serve` für sich selbst erzeugt.

Sein Fingerabdruck ist
%2

Vertrauen Sie ihm nur, wenn es der Fingerabdruck ist, den der Server beim Start ausgegeben hat (oder den sein Verbindungsbefehl enthält). Er wird mit dem Server gespeichert; ein anderer wird später abgelehnt.</translation>
        </message>
        <message>
            <source>qda_… (the server's admin-token file), or a qdv_… viewer token to only watch</source>
            <translation>qda_… (die Datei admin-token des Servers) oder ein Betrachter-Token qdv_… zum Zuschauen</translation>
        </message>
        <message>
            <source>Admin or viewer token:</source>
            <translation>Admin- oder Betrachter-Token:</translation>
        </message>
        <message>
            <source>Paste the server's admin token (it starts with qda_; `qdeck token show` prints it on the server), or a viewer token (qdv_) to watch without changing anything.</source>
            <translation>Fügen Sie das Admin-Token des Servers ein (es beginnt mit qda_; `qdeck token show` gibt es auf dem Server aus) oder ein Betrachter-Token (qdv_), um zuzusehen, ohne etwas zu ändern.</translation>
        </message>
        <message>
            <source>Not connected: the certificate of %1 (%2) was not trusted.</source>
            <translation>Nicht verbunden: dem Zertifikat von %1 (%2) wurde nicht vertraut.</translation>
        </message>
        <message>
            <source>Refused: the certificate of %1 is not the one trusted before (%2). If the server made a new certificate on purpose, Forget the server and connect again to check its new fingerprint.</source>
            <translation>Abgelehnt: das Zertifikat von %1 ist nicht das zuvor vertraute (%2). Hat der Server absichtlich ein neues Zertifikat erzeugt, vergessen Sie den Server und verbinden Sie sich erneut, um den neuen Fingerabdruck zu prüfen.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::TasksModel</name>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>Aufgabe</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Typ</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>Versuche</translation>
        </message>
        <message>
            <source>Enqueued</source>
            <translation>Eingereiht</translation>
        </message>
        <message>
            <source>Finished</source>
            <translation>Beendet</translation>
        </message>
        <message>
            <source>Last error</source>
            <translation>Letzter Fehler</translation>
        </message>
        <message>
            <source>attempts used up</source>
            <translation>Versuche aufgebraucht</translation>
        </message>
        <message>
            <source>non-retryable</source>
            <translation>nicht wiederholbar</translation>
        </message>
        <message>
            <source>expired</source>
            <translation>abgelaufen</translation>
        </message>
        <message>
            <source>Reason</source>
            <translation>Grund</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::TasksView</name>
        <message>
            <source>Retry</source>
            <translation>Wiederholen</translation>
        </message>
        <message>
            <source>Cancel</source>
            <translation>Abbrechen</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <source>Load more</source>
            <translation>Mehr laden</translation>
        </message>
        <message>
            <source>All matching</source>
            <translation>Alle Treffer</translation>
        </message>
        <message>
            <source>Any state</source>
            <translation>Jeder Zustand</translation>
        </message>
        <message>
            <source>Queued</source>
            <translation>Wartend</translation>
        </message>
        <message>
            <source>Scheduled</source>
            <translation>Geplant</translation>
        </message>
        <message>
            <source>Running</source>
            <translation>Laufend</translation>
        </message>
        <message>
            <source>Succeeded</source>
            <translation>Erfolgreich</translation>
        </message>
        <message>
            <source>Dead letters</source>
            <translation>Dead Letters</translation>
        </message>
        <message>
            <source>Cancelled</source>
            <translation>Abgebrochen</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Typ</translation>
        </message>
        <message>
            <source>Task id or payload text</source>
            <translation>Aufgaben-ID oder Text der Nutzdaten</translation>
        </message>
        <message>
            <source>Search</source>
            <translation>Suchen</translation>
        </message>
        <message>
            <source>Select a task to see its payload, attempts, error and result.</source>
            <translation>Wählen Sie eine Aufgabe, um Nutzdaten, Versuche, Fehler und Ergebnis zu sehen.</translation>
        </message>
        <message>
            <source>The task's log lines appear here as its worker sends them.</source>
            <translation>Die Protokollzeilen der Aufgabe erscheinen hier, sobald ihr Worker sie sendet.</translation>
        </message>
        <message>
            <source>Run the selected dead, cancelled or finished tasks again</source>
            <translation>Die gewählten toten, abgebrochenen oder beendeten Aufgaben erneut ausführen</translation>
        </message>
        <message>
            <source>Cancel the selected tasks; running ones are stopped by their worker</source>
            <translation>Die gewählten Aufgaben abbrechen; laufende stoppt ihr Worker</translation>
        </message>
        <message>
            <source>Delete the selected tasks for good</source>
            <translation>Die gewählten Aufgaben endgültig löschen</translation>
        </message>
        <message>
            <source>%1 everything that matches…</source>
            <translation>Alle Treffer: %1…</translation>
        </message>
        <message>
            <source>Act on every task of the queue that matches the search, not only the loaded ones</source>
            <translation>Auf jede passende Aufgabe der Warteschlange wirken, nicht nur auf die geladenen</translation>
        </message>
        <message>
            <source>Searching…</source>
            <translation>Suche…</translation>
        </message>
        <message>
            <source>Search failed: %1</source>
            <translation>Suche fehlgeschlagen: %1</translation>
        </message>
        <message numerus="yes">
            <source>%n task(s)</source>
            <translation>
                <numerusform>%n Aufgabe</numerusform>
                <numerusform>%n Aufgaben</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n task(s) loaded, more match</source>
            <translation>
                <numerusform>%n Aufgabe geladen, weitere passen</numerusform>
                <numerusform>%n Aufgaben geladen, weitere passen</numerusform>
            </translation>
        </message>
        <message>
            <source>Could not load %1: %2</source>
            <translation>%1 konnte nicht geladen werden: %2</translation>
        </message>
        <message>
            <source>Task:       %1
</source>
            <translation>Aufgabe:    %1
</translation>
        </message>
        <message>
            <source>Type:       %1
</source>
            <translation>Typ:        %1
</translation>
        </message>
        <message>
            <source>State:      %1</source>
            <translation>Zustand:    %1</translation>
        </message>
        <message>
            <source> (%1)</source>
            <translation> (%1)</translation>
        </message>
        <message>
            <source>Attempts:   %1 of %2
</source>
            <translation>Versuche:   %1 von %2
</translation>
        </message>
        <message>
            <source>Enqueued:   %1
</source>
            <translation>Eingereiht: %1
</translation>
        </message>
        <message>
            <source>Started:    %1
</source>
            <translation>Gestartet:  %1
</translation>
        </message>
        <message>
            <source>Finished:   %1
</source>
            <translation>Beendet:    %1
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
Fehler:
%1
</translation>
        </message>
        <message>
            <source>
Result:
%1
</source>
            <translation>
Ergebnis:
%1
</translation>
        </message>
        <message>
            <source>
Payload:
%1
</source>
            <translation>
Nutzdaten:
%1
</translation>
        </message>
        <message>
            <source>state %1</source>
            <translation>Zustand %1</translation>
        </message>
        <message>
            <source>type %1</source>
            <translation>Typ %1</translation>
        </message>
        <message>
            <source>text "%1"</source>
            <translation>Text „%1“</translation>
        </message>
        <message>
            <source>%1 every task of %2 that matches (%3)? This may be many tasks.</source>
            <translation>Jede passende Aufgabe von %2 (%3): %1? Das können viele Aufgaben sein.</translation>
        </message>
        <message>
            <source>all tasks</source>
            <translation>alle Aufgaben</translation>
        </message>
        <message numerus="yes">
            <source>%1 %n selected task(s)?</source>
            <translation>
                <numerusform>%n gewählte Aufgabe: %1?</numerusform>
                <numerusform>%n gewählte Aufgaben: %1?</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Done: %n task(s)</source>
            <translation>
                <numerusform>Erledigt: %n Aufgabe</numerusform>
                <numerusform>Erledigt: %n Aufgaben</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 of %2 failed: %3</source>
            <translation>%1 von %2 fehlgeschlagen: %3</translation>
        </message>
        <message>
            <source>Working on everything that matches…</source>
            <translation>Bearbeite alle Treffer…</translation>
        </message>
        <message>
            <source>Failed: %1</source>
            <translation>Fehlgeschlagen: %1</translation>
        </message>
        <message>
            <source>Read-only: connected with a viewer token</source>
            <translation>Nur lesen: mit einem Betrachter-Token verbunden</translation>
        </message>
        <message>
            <source>Queue of the tasks shown</source>
            <translation>Warteschlange der gezeigten Aufgaben</translation>
        </message>
        <message>
            <source>State of the tasks shown</source>
            <translation>Zustand der gezeigten Aufgaben</translation>
        </message>
        <message>
            <source>Task type searched</source>
            <translation>Gesuchter Aufgabentyp</translation>
        </message>
        <message>
            <source>Search tasks by id or payload text</source>
            <translation>Aufgaben nach ID oder Nutzlasttext suchen</translation>
        </message>
        <message>
            <source>Tasks list</source>
            <translation>Liste der Aufgaben</translation>
        </message>
        <message>
            <source>Details of the selected task</source>
            <translation>Einzelheiten der gewählten Aufgabe</translation>
        </message>
        <message>
            <source>Log of the selected task</source>
            <translation>Protokoll der gewählten Aufgabe</translation>
        </message>
        <message>
            <source>Delete the selected tasks</source>
            <translation>Die gewählten Aufgaben löschen</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::TokensDialog</name>
        <message>
            <source>Copy</source>
            <translation>Kopieren</translation>
        </message>
        <message>
            <source>Producer Tokens</source>
            <translation>Produzenten-Tokens</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Queues</source>
            <translation>Warteschlangen</translation>
        </message>
        <message>
            <source>Created</source>
            <translation>Angelegt</translation>
        </message>
        <message>
            <source>%1 (%2)</source>
            <translation>%1 (%2)</translation>
        </message>
        <message>
            <source>e.g. billing-service</source>
            <translation>z. B. billing-service</translation>
        </message>
        <message>
            <source>Create token</source>
            <translation>Token anlegen</translation>
        </message>
        <message>
            <source>Revoke…</source>
            <translation>Widerrufen…</translation>
        </message>
        <message>
            <source>Name the token after who will use it, e.g. billing-service.</source>
            <translation>Benennen Sie das Token nach seinem Nutzer, z. B. billing-service.</translation>
        </message>
        <message>
            <source>Tick the queues this token may enqueue to.</source>
            <translation>Haken Sie die Warteschlangen an, in die dieses Token einreihen darf.</translation>
        </message>
        <message>
            <source>Revoke token</source>
            <translation>Token widerrufen</translation>
        </message>
        <message>
            <source>Revoke the token %1? Producers using it are refused from now on.</source>
            <translation>Das Token %1 widerrufen? Produzenten, die es nutzen, werden ab jetzt abgewiesen.</translation>
        </message>
        <message>
            <source>Copied</source>
            <translation>Kopiert</translation>
        </message>
        <message>
            <source>Name:</source>
            <translation>Name:</translation>
        </message>
        <message>
            <source>Queues:</source>
            <translation>Warteschlangen:</translation>
        </message>
        <message>
            <source>New token</source>
            <translation>Neues Token</translation>
        </message>
        <message>
            <source>This is the only time the token is shown: copy it now into the producer's configuration.</source>
            <translation>Das Token wird nur dieses eine Mal gezeigt: kopieren Sie es jetzt in die Konfiguration des Produzenten.</translation>
        </message>
        <message>
            <source>Producer tokens</source>
            <translation>Produzenten-Tokens</translation>
        </message>
        <message>
            <source>Queues the new token may enqueue to</source>
            <translation>Warteschlangen, in die das neue Token einstellen darf</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::WorkersModel</name>
        <message>
            <source>%1 s ago</source>
            <translation>vor %1 s</translation>
        </message>
        <message>
            <source>%1 min ago</source>
            <translation>vor %1 min</translation>
        </message>
        <message>
            <source>%1 h ago</source>
            <translation>vor %1 Std.</translation>
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
            <translation>Warteschlangen</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>Heartbeat</source>
            <translation>Lebenszeichen</translation>
        </message>
        <message>
            <source>Running</source>
            <translation>Laufend</translation>
        </message>
        <message>
            <source>Done</source>
            <translation>Erledigt</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Fehlgeschlagen</translation>
        </message>
        <message>
            <source>Labels</source>
            <translation>Labels</translation>
        </message>
        <message>
            <source>Status</source>
            <translation>Meldung</translation>
        </message>
        <message>
            <source>Capabilities</source>
            <translation>Fähigkeiten</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::WorkersView</name>
        <message>
            <source>Drain</source>
            <translation>Auslaufen lassen</translation>
        </message>
        <message>
            <source>Remove</source>
            <translation>Entfernen</translation>
        </message>
        <message>
            <source>All queues</source>
            <translation>Alle Warteschlangen</translation>
        </message>
        <message>
            <source>Any state</source>
            <translation>Jeder Zustand</translation>
        </message>
        <message>
            <source>Active</source>
            <translation>Aktiv</translation>
        </message>
        <message>
            <source>Idle</source>
            <translation>Untätig</translation>
        </message>
        <message>
            <source>Draining</source>
            <translation>Läuft aus</translation>
        </message>
        <message>
            <source>Lost</source>
            <translation>Verloren</translation>
        </message>
        <message>
            <source>Filter by id, host, label…</source>
            <translation>Nach ID, Host, Label filtern…</translation>
        </message>
        <message>
            <source>Let the selected workers finish what they run, take nothing new, and leave</source>
            <translation>Die gewählten Worker beenden, was läuft, nehmen nichts Neues und gehen</translation>
        </message>
        <message>
            <source>Remove the selected workers now and revoke their credentials; their running tasks go back to the queue</source>
            <translation>Die gewählten Worker jetzt entfernen und ihre Zugangsdaten widerrufen; ihre laufenden Aufgaben gehen zurück in die Warteschlange</translation>
        </message>
        <message numerus="yes">
            <source>%n worker(s) shown</source>
            <translation>
                <numerusform>%n Worker gezeigt</numerusform>
                <numerusform>%n Worker gezeigt</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Drain %n worker(s)? They finish their running tasks and leave.</source>
            <translation>
                <numerusform>%n Worker auslaufen lassen? Er beendet seine laufenden Aufgaben und geht.</numerusform>
                <numerusform>%n Worker auslaufen lassen? Sie beenden ihre laufenden Aufgaben und gehen.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>Remove %n worker(s) now? Their running tasks go back to the queue and their credentials stop working.</source>
            <translation>
                <numerusform>%n Worker jetzt entfernen? Seine laufenden Aufgaben gehen zurück in die Warteschlange, seine Zugangsdaten verlieren ihre Gültigkeit.</numerusform>
                <numerusform>%n Worker jetzt entfernen? Ihre laufenden Aufgaben gehen zurück in die Warteschlange, ihre Zugangsdaten verlieren ihre Gültigkeit.</numerusform>
            </translation>
        </message>
        <message>
            <source>Drain workers</source>
            <translation>Worker auslaufen lassen</translation>
        </message>
        <message>
            <source>Remove workers</source>
            <translation>Worker entfernen</translation>
        </message>
        <message>
            <source>Draining %1</source>
            <translation>%1 läuft aus</translation>
        </message>
        <message>
            <source>Could not drain %1: %2</source>
            <translation>%1 konnte nicht auslaufen: %2</translation>
        </message>
        <message>
            <source>Removed %1</source>
            <translation>%1 entfernt</translation>
        </message>
        <message>
            <source>Could not remove %1: %2</source>
            <translation>%1 konnte nicht entfernt werden: %2</translation>
        </message>
        <message>
            <source>Read-only: connected with a viewer token</source>
            <translation>Nur lesen: mit einem Betrachter-Token verbunden</translation>
        </message>
        <message>
            <source>Queue of the workers shown</source>
            <translation>Warteschlange der gezeigten Worker</translation>
        </message>
        <message>
            <source>State of the workers shown</source>
            <translation>Zustand der gezeigten Worker</translation>
        </message>
        <message>
            <source>Workers list</source>
            <translation>Liste der Worker</translation>
        </message>
        <message>
            <source>Filter workers</source>
            <translation>Worker filtern</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::ScheduleDialog</name>
        <message>
            <source>Change schedule</source>
            <translation>Zeitplan ändern</translation>
        </message>
        <message>
            <source>New schedule</source>
            <translation>Neuer Zeitplan</translation>
        </message>
        <message>
            <source>0 2 * * *, @daily or every 15m</source>
            <translation>0 2 * * *, @daily oder every 15m</translation>
        </message>
        <message>
            <source>Skip while the previous run is active</source>
            <translation>Auslassen, solange der vorige Lauf aktiv ist</translation>
        </message>
        <message>
            <source>Buffer one fire</source>
            <translation>Einen Auslöser vormerken</translation>
        </message>
        <message>
            <source>Allow all</source>
            <translation>Alle zulassen</translation>
        </message>
        <message>
            <source> s</source>
            <translation> s</translation>
        </message>
        <message>
            <source>Schedule error</source>
            <translation>Fehler im Zeitplan</translation>
        </message>
        <message>
            <source>Next fire times</source>
            <translation>Nächste Auslösezeiten</translation>
        </message>
        <message>
            <source>Schedule name</source>
            <translation>Name des Zeitplans</translation>
        </message>
        <message>
            <source>Schedule spec</source>
            <translation>Regel des Zeitplans</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Spec</source>
            <translation>Regel</translation>
        </message>
        <message>
            <source>Time zone</source>
            <translation>Zeitzone</translation>
        </message>
        <message>
            <source>Next fires</source>
            <translation>Nächste Auslöser</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>Warteschlange</translation>
        </message>
        <message>
            <source>Task type</source>
            <translation>Aufgabentyp</translation>
        </message>
        <message>
            <source>Payload (JSON)</source>
            <translation>Nutzlast (JSON)</translation>
        </message>
        <message>
            <source>Overlap</source>
            <translation>Überlappung</translation>
        </message>
        <message>
            <source>Catch-up window</source>
            <translation>Nachholfenster</translation>
        </message>
        <message>
            <source>Jitter</source>
            <translation>Streuung</translation>
        </message>
        <message>
            <source>never fires again</source>
            <translation>löst nie wieder aus</translation>
        </message>
        <message>
            <source>The payload is not JSON: %1</source>
            <translation>Die Nutzlast ist kein JSON: %1</translation>
        </message>
        <message>
            <source>Choose the queue the schedule enqueues into.</source>
            <translation>Wählen Sie die Warteschlange, in die der Zeitplan einreiht.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::SchedulesModel</name>
        <message>
            <source>paused</source>
            <translation>pausiert</translation>
        </message>
        <message>
            <source>none</source>
            <translation>keiner</translation>
        </message>
        <message>
            <source>not fired yet</source>
            <translation>noch nicht ausgelöst</translation>
        </message>
        <message>
            <source>%1 at %2</source>
            <translation>%1 um %2</translation>
        </message>
        <message>
            <source>active</source>
            <translation>aktiv</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Schedule</source>
            <translation>Zeitplan</translation>
        </message>
        <message>
            <source>Next fire</source>
            <translation>Nächster Auslöser</translation>
        </message>
        <message>
            <source>Last outcome</source>
            <translation>Letztes Ergebnis</translation>
        </message>
        <message>
            <source>Queue</source>
            <translation>Warteschlange</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
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
                <numerusform>%n Std.</numerusform>
                <numerusform>%n Std.</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>%n d</source>
            <translation>
                <numerusform>%n Tag</numerusform>
                <numerusform>%n Tagen</numerusform>
            </translation>
        </message>
        <message>
            <source>next: %1 in %2</source>
            <translation>nächster: %1 in %2</translation>
        </message>
        <message>
            <source>New schedule…</source>
            <translation>Neuer Zeitplan…</translation>
        </message>
        <message>
            <source>Change…</source>
            <translation>Ändern…</translation>
        </message>
        <message>
            <source>Trigger now</source>
            <translation>Jetzt auslösen</translation>
        </message>
        <message>
            <source>Pause</source>
            <translation>Pausieren</translation>
        </message>
        <message>
            <source>Delete</source>
            <translation>Löschen</translation>
        </message>
        <message>
            <source>Schedules</source>
            <translation>Zeitpläne</translation>
        </message>
        <message>
            <source>Delete schedule</source>
            <translation>Zeitplan löschen</translation>
        </message>
        <message>
            <source>Delete this schedule and its fire history? Tasks it enqueued stay.</source>
            <translation>Diesen Zeitplan und seine Auslöse-Historie löschen? Eingereihte Aufgaben bleiben.</translation>
        </message>
        <message>
            <source>Read-only: connected with a viewer token</source>
            <translation>Nur lesen: mit einem Betrachter-Token verbunden</translation>
        </message>
        <message>
            <source>Resume</source>
            <translation>Fortsetzen</translation>
        </message>
        <message numerus="yes">
            <source>%n schedule(s)</source>
            <translation>
                <numerusform>%n Zeitplan</numerusform>
                <numerusform>%n Zeitpläne</numerusform>
            </translation>
        </message>
        <message>
            <source>Fired: %1 %2</source>
            <translation>Ausgelöst: %1 %2</translation>
        </message>
        <message>
            <source>Schedules list</source>
            <translation>Liste der Zeitpläne</translation>
        </message>
        <message>
            <source>Delete the selected schedule</source>
            <translation>Den gewählten Zeitplan löschen</translation>
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
            <translation>wartet auf den Start</translation>
        </message>
        <message>
            <source>active</source>
            <translation>aktiv</translation>
        </message>
        <message>
            <source>succeeded</source>
            <translation>erfolgreich</translation>
        </message>
        <message>
            <source>failed</source>
            <translation>fehlgeschlagen</translation>
        </message>
        <message>
            <source>Select a task to see its run.</source>
            <translation>Eine Aufgabe auswählen, um ihren Lauf zu sehen.</translation>
        </message>
        <message>
            <source>Run tree</source>
            <translation>Baum des Laufs</translation>
        </message>
        <message>
            <source>Task</source>
            <translation>Aufgabe</translation>
        </message>
        <message>
            <source>Type</source>
            <translation>Typ</translation>
        </message>
        <message>
            <source>State</source>
            <translation>Zustand</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>Versuche</translation>
        </message>
        <message>
            <source>Run time</source>
            <translation>Laufzeit</translation>
        </message>
        <message>
            <source>Error</source>
            <translation>Fehler</translation>
        </message>
        <message>
            <source>Loading run %1…</source>
            <translation>Lauf %1 wird geladen …</translation>
        </message>
        <message>
            <source>Could not load run %1: %2</source>
            <translation>Lauf %1 konnte nicht geladen werden: %2</translation>
        </message>
        <message>
            <source>Run %1: %2 — %3 of %4 tasks succeeded, %5 failed, %6 unfinished; %7</source>
            <translation>Lauf %1: %2 — %3 von %4 Aufgaben erfolgreich, %5 fehlgeschlagen, %6 offen; %7</translation>
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
            <translation>%1 Std.</translation>
        </message>
        <message numerus="yes">
            <source>%n day(s)</source>
            <translation>
                <numerusform>%n Tag</numerusform>
                <numerusform>%n Tage</numerusform>
            </translation>
        </message>
        <message>
            <source>"%1" is not a duration; type e.g. 90s, 5 min, 1h 30m or 7 days</source>
            <translation>„%1“ ist keine Dauer; geben Sie z. B. 90s, 5 min, 1h 30m oder 7 Tage ein</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::EnvironmentsDialog</name>
        <message>
            <source>Create queues on demand</source>
            <translation>Warteschlangen bei Bedarf anlegen</translation>
        </message>
        <message>
            <source>Delete…</source>
            <translation>Löschen…</translation>
        </message>
        <message>
            <source>Environments</source>
            <translation>Umgebungen</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>Description</source>
            <translation>Beschreibung</translation>
        </message>
        <message>
            <source>Auto-create</source>
            <translation>Automatisch anlegen</translation>
        </message>
        <message>
            <source>Queues</source>
            <translation>Warteschlangen</translation>
        </message>
        <message>
            <source>New environment name</source>
            <translation>Name der neuen Umgebung</translation>
        </message>
        <message>
            <source>e.g. staging</source>
            <translation>z. B. staging</translation>
        </message>
        <message>
            <source>New environment description</source>
            <translation>Beschreibung der neuen Umgebung</translation>
        </message>
        <message>
            <source>what runs there, who owns it</source>
            <translation>was dort läuft, wem sie gehört</translation>
        </message>
        <message>
            <source>An enqueue by queue name creates a missing queue with defaults.</source>
            <translation>Ein Einreihen über den Warteschlangennamen legt eine fehlende Warteschlange mit Standardwerten an.</translation>
        </message>
        <message>
            <source>Create environment</source>
            <translation>Umgebung anlegen</translation>
        </message>
        <message>
            <source>Name the environment, e.g. staging or prod.</source>
            <translation>Geben Sie der Umgebung einen Namen, z. B. staging oder prod.</translation>
        </message>
        <message>
            <source>Delete environment</source>
            <translation>Umgebung löschen</translation>
        </message>
        <message>
            <source>Delete the environment %1? Only an environment without queues can be deleted.</source>
            <translation>Die Umgebung %1 löschen? Nur eine Umgebung ohne Warteschlangen kann gelöscht werden.</translation>
        </message>
        <message>
            <source>New environment</source>
            <translation>Neue Umgebung</translation>
        </message>
        <message>
            <source>on</source>
            <translation>an</translation>
        </message>
        <message>
            <source>off</source>
            <translation>aus</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::DurationField</name>
        <message>
            <source>e.g. 90s, 5 min, 1h 30m, 7 days</source>
            <translation>z. B. 90s, 5 min, 1h 30m, 7 Tage</translation>
        </message>
        <message>
            <source>At least %1.</source>
            <translation>Mindestens %1.</translation>
        </message>
        <message>
            <source>At most %1.</source>
            <translation>Höchstens %1.</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::MetricsView</name>
        <message>
            <source>Queue</source>
            <translation>Warteschlange</translation>
        </message>
        <message>
            <source>All queues</source>
            <translation>Alle Warteschlangen</translation>
        </message>
        <message>
            <source>Range</source>
            <translation>Zeitraum</translation>
        </message>
        <message>
            <source>Live (5 min)</source>
            <translation>Live (5 min)</translation>
        </message>
        <message>
            <source>1 hour</source>
            <translation>1 Stunde</translation>
        </message>
        <message>
            <source>24 hours</source>
            <translation>24 Stunden</translation>
        </message>
        <message>
            <source>7 days</source>
            <translation>7 Tage</translation>
        </message>
        <message>
            <source>Metrics per task type</source>
            <translation>Metriken je Aufgabentyp</translation>
        </message>
        <message>
            <source>Attempts</source>
            <translation>Versuche</translation>
        </message>
        <message>
            <source>Run time up to</source>
            <translation>Laufzeit bis</translation>
        </message>
        <message>
            <source>Run time</source>
            <translation>Laufzeit</translation>
        </message>
        <message>
            <source>Run-time histogram of the selected task type</source>
            <translation>Laufzeit-Histogramm des gewählten Aufgabentyps</translation>
        </message>
        <message>
            <source>&amp;Queue:</source>
            <translation>&amp;Warteschlange:</translation>
        </message>
        <message>
            <source>&amp;Range:</source>
            <translation>&amp;Zeitraum:</translation>
        </message>
        <message>
            <source>Could not load the metrics: %1</source>
            <translation>Die Metriken ließen sich nicht laden: %1</translation>
        </message>
        <message>
            <source>No tasks ran in this range.</source>
            <translation>In diesem Zeitraum lief keine Aufgabe.</translation>
        </message>
        <message numerus="yes">
            <source>%n task type(s)</source>
            <translation>
                <numerusform>%n Aufgabentyp</numerusform>
                <numerusform>%n Aufgabentypen</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 processed</source>
            <translation>%1 verarbeitet</translation>
        </message>
        <message>
            <source>Run time of %1</source>
            <translation>Laufzeit von %1</translation>
        </message>
        <message>
            <source>other task types</source>
            <translation>übrigen Aufgabentypen</translation>
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
            <translation>Aufgabentypen jenseits der meistgenutzten jeder Warteschlange, zusammengefasst</translation>
        </message>
        <message>
            <source>other</source>
            <translation>übrige</translation>
        </message>
        <message>
            <source>%1 %</source>
            <translation>%1 %</translation>
        </message>
        <message>
            <source>Task type</source>
            <translation>Aufgabentyp</translation>
        </message>
        <message>
            <source>Processed</source>
            <translation>Verarbeitet</translation>
        </message>
        <message>
            <source>Failed</source>
            <translation>Fehlgeschlagen</translation>
        </message>
        <message>
            <source>Run p50</source>
            <translation>Laufzeit p50</translation>
        </message>
        <message>
            <source>Run p95</source>
            <translation>Laufzeit p95</translation>
        </message>
        <message>
            <source>Run p99</source>
            <translation>Laufzeit p99</translation>
        </message>
        <message>
            <source>Wait p50</source>
            <translation>Wartezeit p50</translation>
        </message>
        <message>
            <source>Wait p95</source>
            <translation>Wartezeit p95</translation>
        </message>
        <message>
            <source>Wait p99</source>
            <translation>Wartezeit p99</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::DemoWorker</name>
        <message>
            <source>The qdeck program was not found beside QueueDeck (%1) nor on the PATH. Build it with scripts/dev.sh build, or install the qdeck package, then try again.</source>
            <translation>Das Programm qdeck wurde weder neben QueueDeck (%1) noch im PATH gefunden. Bauen Sie es mit scripts/dev.sh build oder installieren Sie das Paket qdeck, dann versuchen Sie es erneut.</translation>
        </message>
        <message>
            <source>Could not write the demo handler to %1: check that the directory is writable.</source>
            <translation>Der Demo-Handler konnte nicht nach %1 geschrieben werden: Prüfen Sie, ob das Verzeichnis beschreibbar ist.</translation>
        </message>
        <message>
            <source>Tasks of the demo started by "Try it on this computer"</source>
            <translation>Aufgaben der Demo, gestartet mit „Auf diesem Computer ausprobieren“</translation>
        </message>
        <message>
            <source>The server's connect command for %1 holds no join token.</source>
            <translation>Der Verbindungsbefehl des Servers für %1 enthält kein Beitritts-Token.</translation>
        </message>
        <message>
            <source>The queue %1 vanished while the demo started: try again.</source>
            <translation>Die Warteschlange %1 verschwand, während die Demo startete: Versuchen Sie es erneut.</translation>
        </message>
        <message>
            <source>The demo worker could not start (%1): %2</source>
            <translation>Der Demo-Worker konnte nicht starten (%1): %2</translation>
        </message>
        <message>
            <source>The demo worker stopped (exit code %1).</source>
            <translation>Der Demo-Worker hat sich beendet (Exit-Code %1).</translation>
        </message>
        <message>
            <source>The demo worker stopped (exit code %1): %2</source>
            <translation>Der Demo-Worker hat sich beendet (Exit-Code %1): %2</translation>
        </message>
        <message>
            <source>Starting a demo worker on this computer…</source>
            <translation>Ein Demo-Worker startet auf diesem Computer …</translation>
        </message>
        <message numerus="yes">
            <source>The demo worker %1 runs on this computer; sending it %n demo task(s)…</source>
            <translation>
                <numerusform>Der Demo-Worker %1 läuft auf diesem Computer; er bekommt %n Demo-Aufgabe …</numerusform>
                <numerusform>Der Demo-Worker %1 läuft auf diesem Computer; er bekommt %n Demo-Aufgaben …</numerusform>
            </translation>
        </message>
        <message numerus="yes">
            <source>The demo worker %1 runs on this computer: %2 of %n demo task(s) done. Watch it on the card of the queue %3 and under Workers; it stops when this window closes.</source>
            <translation>
                <numerusform>Der Demo-Worker %1 läuft auf diesem Computer: %2 von %n Demo-Aufgabe erledigt. Verfolgen Sie ihn auf der Karte der Warteschlange %3 und unter Worker; er endet, wenn dieses Fenster schließt.</numerusform>
                <numerusform>Der Demo-Worker %1 läuft auf diesem Computer: %2 von %n Demo-Aufgaben erledigt. Verfolgen Sie ihn auf der Karte der Warteschlange %3 und unter Worker; er endet, wenn dieses Fenster schließt.</numerusform>
            </translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::FirstRunGuide</name>
        <message>
            <source>Getting started</source>
            <translation>Erste Schritte</translation>
        </message>
        <message>
            <source>A queue is a lane of work: programs put tasks in, and workers on any machine take them out and run them, each task with your program.</source>
            <translation>Eine Warteschlange ist eine Bahn für Arbeit: Programme stellen Aufgaben ein, und Worker auf beliebigen Rechnern holen sie ab und führen sie aus, jede mit Ihrem Programm.</translation>
        </message>
        <message>
            <source>There is no queue here yet: make one with New Queue… (%1).</source>
            <translation>Hier gibt es noch keine Warteschlange: Legen Sie eine mit Neue Warteschlange… (%1) an.</translation>
        </message>
        <message>
            <source>&lt;ol style="margin-left: 0"&gt;&lt;li&gt;&lt;b&gt;Copy&lt;/b&gt; the connect command from a queue's card.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Run it&lt;/b&gt; on the machine that should do the work, with your program in place of &lt;code&gt;./handle-task&lt;/code&gt;.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Watch it attach:&lt;/b&gt; the card says 1 / 10 workers and Active, and the tasks run.&lt;/li&gt;&lt;/ol&gt;</source>
            <translation>&lt;ol style="margin-left: 0"&gt;&lt;li&gt;&lt;b&gt;Kopieren&lt;/b&gt; Sie den Verbindungsbefehl von der Karte einer Warteschlange.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Führen Sie ihn aus&lt;/b&gt; auf dem Rechner, der die Arbeit tun soll, mit Ihrem Programm anstelle von &lt;code&gt;./handle-task&lt;/code&gt;.&lt;/li&gt;&lt;li&gt;&lt;b&gt;Sehen Sie zu, wie er sich verbindet:&lt;/b&gt; Die Karte zeigt 1 / 10 Worker und Aktiv, und die Aufgaben laufen.&lt;/li&gt;&lt;/ol&gt;</translation>
        </message>
        <message>
            <source>That machine needs the &lt;code&gt;qdeck&lt;/code&gt; program: install the qdeck package there (&lt;code&gt;apt install ./qdeck_*.deb&lt;/code&gt;), or choose Docker or Kubernetes on the card for a script that runs the worker image.</source>
            <translation>Dieser Rechner braucht das Programm &lt;code&gt;qdeck&lt;/code&gt;: Installieren Sie dort das Paket qdeck (&lt;code&gt;apt install ./qdeck_*.deb&lt;/code&gt;), oder wählen Sie auf der Karte Docker oder Kubernetes für ein Skript, das das Worker-Image startet.</translation>
        </message>
        <message>
            <source>&amp;Try It on This Computer</source>
            <translation>Auf diesem Computer &amp;ausprobieren</translation>
        </message>
        <message>
            <source>Starts a worker here with an example handler and sends it a few demo tasks; it stops when this window closes.</source>
            <translation>Startet hier einen Worker mit einem Beispiel-Handler und schickt ihm ein paar Demo-Aufgaben; er endet, wenn dieses Fenster schließt.</translation>
        </message>
        <message>
            <source>&amp;Dismiss</source>
            <translation>Aus&amp;blenden</translation>
        </message>
        <message>
            <source>Dismiss the getting started guide</source>
            <translation>Die Anleitung Erste Schritte ausblenden</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::NodesModel</name>
        <message>
            <source>Leader</source>
            <translation>Leiter</translation>
        </message>
        <message>
            <source>Follower</source>
            <translation>Folgender</translation>
        </message>
        <message>
            <source>Standalone</source>
            <translation>Einzeln</translation>
        </message>
        <message>
            <source>Alive</source>
            <translation>Lebt</translation>
        </message>
        <message>
            <source>Gone</source>
            <translation>Weg</translation>
        </message>
        <message>
            <source>Gone, last seen %1 ago</source>
            <translation>Weg, zuletzt gesehen vor %1</translation>
        </message>
        <message>
            <source>Started %1</source>
            <translation>Gestartet %1</translation>
        </message>
        <message>
            <source>Last seen %1</source>
            <translation>Zuletzt gesehen %1</translation>
        </message>
        <message>
            <source>Node</source>
            <translation>Knoten</translation>
        </message>
        <message>
            <source>Address</source>
            <translation>Adresse</translation>
        </message>
        <message>
            <source>Version</source>
            <translation>Version</translation>
        </message>
        <message>
            <source>Uptime</source>
            <translation>Laufzeit</translation>
        </message>
        <message>
            <source>Role</source>
            <translation>Rolle</translation>
        </message>
        <message>
            <source>Connections</source>
            <translation>Verbindungen</translation>
        </message>
        <message>
            <source>Requests/s</source>
            <translation>Anfragen/s</translation>
        </message>
    </context>
    <context>
        <name>QueueDeck::Ui::NodesView</name>
        <message>
            <source>Nodes list</source>
            <translation>Knotenliste</translation>
        </message>
        <message>
            <source>Nodes status</source>
            <translation>Knotenstatus</translation>
        </message>
        <message>
            <source>This server does not list its nodes (it is older than this app).</source>
            <translation>Dieser Server listet seine Knoten nicht auf (er ist älter als diese App).</translation>
        </message>
        <message>
            <source>Could not load the nodes: %1</source>
            <translation>Die Knoten konnten nicht geladen werden: %1</translation>
        </message>
        <message numerus="yes">
            <source>%n node(s), %1 alive</source>
            <translation>
                <numerusform>%n Knoten, %1 lebt</numerusform>
                <numerusform>%n Knoten, %1 leben</numerusform>
            </translation>
        </message>
    </context>
</TS>
