// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "credentialindex.h"
#include "httptypes.h"
#include "router.h"

namespace QueueDeck::Api {

// One call being served: the request, its path parameters and who made it.
struct Call
{
    Http::HttpRequest request;
    Http::HttpResponder responder;
    PathParams params;
    Principal principal;
    QString param(const char *name) const { return params.value(QLatin1StringView(name)); }
};

} // namespace QueueDeck::Api
