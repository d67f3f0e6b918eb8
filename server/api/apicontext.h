// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "router.h"

class QObject;

namespace QueueDeck {
class Engine;
} // namespace QueueDeck

namespace QueueDeck::Api {

class ApiDispatcher;
class EventHub;
class ParkedRequests;

// What a route handler works with. Made by the ApiDispatcher and living as long as it, on the API
// thread; handlers are called there and their continuations run there (`receiver`).
struct ApiContext
{
    Engine &engine;               // thread-safe; outlives the API
    QObject *receiver;            // the engine's answers are handled on this object's thread
    ParkedRequests &parked;       // long polls, answered at shutdown
    EventHub &events;             // the readers of GET /events
    const ApiDispatcher &service; // how this server presents itself: URL, fingerprint, program
};

// A route's handler: parses, calls the engine, answers through call.responder.
struct Call;
using RouteHandler = void (*)(ApiContext &api, const Call &call);
using RouteTable = Router<RouteHandler>;

} // namespace QueueDeck::Api
