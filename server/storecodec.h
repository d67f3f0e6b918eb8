// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

// How store implementations keep composite values as text. Shared by every store so that a
// database written by one server version reads the same in the next.

#include "protocol/wiretypes.h"
#include "storetypes.h"

namespace QueueDeck::StoreCodec {

QByteArray encodeSettings(const QueueSettings &settings);
QueueSettings decodeSettings(const QByteArray &text);

QByteArray encodeLabels(const Labels &labels);
Labels decodeLabels(const QByteArray &text);

QByteArray encodeWorker(const WorkerRow &worker);
// Fills every field but the id.
WorkerRow decodeWorker(const QByteArray &text);

} // namespace QueueDeck::StoreCodec
