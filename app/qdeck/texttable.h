// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include <QList>
#include <QStringList>

namespace QueueDeck::Cli {

// A table with a header row, columns as wide as their widest cell, printed to standard output.
class TextTable final
{
public:
    explicit TextTable(QStringList header) : m_rows{std::move(header)} {}
    void add(QStringList row) { m_rows.append(std::move(row)); }
    // Prints "(none)" under the header when there are no rows.
    void print() const;

private:
    QList<QStringList> m_rows;
};

} // namespace QueueDeck::Cli
