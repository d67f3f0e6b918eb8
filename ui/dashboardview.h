// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#pragma once

#include "protocol/metrictypes.h"
#include "queuecardwidget.h"

#include <QHash>
#include <QWidget>

class QComboBox;
class QGridLayout;
class QLabel;
class QScrollArea;

namespace QueueDeck::Client {
struct DashboardUpdate;
}

namespace QueueDeck::Ui {

// The dashboard: a banner when the server is out of reach, the KPI chips (Active Workers,
// Queues, Capacity, Throughput, Error rate, Last Updated), and the queue cards in a grid whose
// column count follows the width.
class DashboardView final : public QWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DashboardView)
public:
    explicit DashboardView(QWidget *parent = nullptr);

    // A whole dashboard: the chips and every card.
    void setSnapshot(const DashboardSnapshot &snapshot);
    // A live update: the chips, and of the cards only those added or changed (the others keep
    // what they show); removed ones go, the grid is laid out again when the order changed.
    void applyUpdate(const DashboardSnapshot &snapshot, const Client::DashboardUpdate &update);
    void setConnectCommand(const QString &queueId, const QString &command,
                           const QString &platform = QStringLiteral("local"));
    // Read-only (a viewer token): the cards' actions that change something are disabled.
    void setReadOnly(bool readOnly);
    // A guide above the chips (the first-run guide); the view takes it.
    void setGuide(QWidget *guide);
    // Shows or hides the banner that says the connection is lost.
    void setConnected(bool connected, const QString &reason = {});

    // The environment filter's choices: every environment (grouped) and each one by name.
    void setEnvironments(const QStringList &names);
    void setEnvironment(const QString &environment); // empty: all, grouped
    QString environment() const;
    // The environment headers shown between the cards (grouped view), for tests.
    QStringList groupHeaders() const;

    // What the chips say, for tests: "Active Workers" → "3", …
    QString chip(const QString &title) const;
    QueueCardWidget *card(const QString &queueId) const { return m_cards.value(queueId); }
    bool bannerShown() const;

Q_SIGNALS:
    void cardAction(const QString &queueId, QueueDeck::Ui::QueueCardWidget::Action action);
    void commandWanted(const QString &queueId, const QString &platform);
    void environmentChosen(const QString &environment); // empty: all

protected:
    void resizeEvent(QResizeEvent *event) override;
    void showEvent(QShowEvent *event) override;

private:
    void setChips(const DashboardSnapshot &snapshot);
    // Sets a card, making its widget first when the queue is new.
    void setCard(const QueueCard &card);
    // Keeps the cards of `order` (in that order), drops the others, lays out when it changed.
    void keepCards(const QStringList &order);
    void layoutCards();
    // Cards in the viewport draw what they hold; the others wait until they scroll into view.
    bool inView(const QWidget *card) const;
    void refreshCardsInView();

    QLabel *m_banner;
    QComboBox *m_environment;
    QHash<QString, QString> m_environmentOf; // queue id → environment
    QHash<QString, QLabel *> m_headers;      // environment → its header in the grid
    QHash<QString, QLabel *> m_chips;        // by title
    QScrollArea *m_scroll;
    QWidget *m_grid;
    QGridLayout *m_gridLayout;
    QHash<QString, QueueCardWidget *> m_cards;
    QStringList m_order;
    int m_columns = 0;
    bool m_readOnly = false;
};

} // namespace QueueDeck::Ui
