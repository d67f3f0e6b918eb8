// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "tokensdialog.h"

#include "queuedeckclient.h"

#include <QClipboard>
#include <QDateTime>
#include <QDialogButtonBox>
#include <QFontDatabase>
#include <QFormLayout>
#include <QGroupBox>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMessageBox>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

TokensDialog::TokensDialog(Client::QueueDeckClient *client, const QList<QueueInfo> &queues,
                           QWidget *parent)
    : QDialog(parent), m_client(client), m_list(new QTreeWidget(this)), m_name(new QLineEdit(this)),
      m_queues(new QListWidget(this)), m_secret(new QLineEdit(this)),
      m_copy(new QPushButton(tr("Copy"), this)), m_secretNote(new QLabel(this)),
      m_error(new QLabel(this))
{
    setWindowTitle(tr("Producer Tokens"));
    m_list->setHeaderLabels({tr("Name"), tr("Queues"), tr("Created")});
    m_list->setRootIsDecorated(false);
    m_list->setAccessibleName(tr("Producer tokens"));
    m_queues->setAccessibleName(tr("Queues the new token may enqueue to"));
    m_list->header()->setStretchLastSection(true);
    m_list->setColumnWidth(0, 160);
    m_list->setColumnWidth(1, 240);
    for (const QueueInfo &queue : queues) {
        m_queueNames.insert(queue.id, queue.name);
        auto *item =
            new QListWidgetItem(tr("%1 (%2)").arg(queue.name, queue.environment), m_queues);
        item->setData(Qt::UserRole, queue.id);
        item->setFlags(item->flags() | Qt::ItemIsUserCheckable);
        item->setCheckState(Qt::Unchecked);
    }
    m_queues->setMaximumHeight(140);
    m_name->setPlaceholderText(tr("e.g. billing-service"));
    m_secret->setReadOnly(true);
    m_secret->setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    m_secret->setObjectName(QStringLiteral("secret"));
    m_secretNote->setWordWrap(true);
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d64545"));
    m_error->setVisible(false);
    for (QWidget *widget : {static_cast<QWidget *>(m_secret), static_cast<QWidget *>(m_copy),
                            static_cast<QWidget *>(m_secretNote)})
        widget->setVisible(false);

    auto *createButton = new QPushButton(tr("Create token"), this);
    auto *revokeButton = new QPushButton(tr("Revoke…"), this);
    connect(createButton, &QPushButton::clicked, this, [this] {
        QStringList ids;
        for (int i = 0; i < m_queues->count(); ++i) {
            if (m_queues->item(i)->checkState() == Qt::Checked)
                ids.append(m_queues->item(i)->data(Qt::UserRole).toString());
        }
        if (m_name->text().trimmed().isEmpty())
            return showError(tr("Name the token after who will use it, e.g. billing-service."));
        if (ids.isEmpty())
            return showError(tr("Tick the queues this token may enqueue to."));
        create(m_name->text().trimmed(), ids);
    });
    connect(revokeButton, &QPushButton::clicked, this, [this] {
        const QTreeWidgetItem *item = m_list->currentItem();
        if (!item)
            return;
        const QString name = item->text(0);
        if (QMessageBox::question(this, tr("Revoke token"),
                                  tr("Revoke the token %1? Producers using it are refused from "
                                     "now on.")
                                      .arg(name)) == QMessageBox::Yes)
            revoke(name);
    });
    connect(m_copy, &QPushButton::clicked, this, [this] {
        QGuiApplication::clipboard()->setText(m_secret->text());
        m_copy->setText(tr("Copied"));
        QTimer::singleShot(1500, this, [this] { m_copy->setText(tr("Copy")); });
    });

    auto *form = new QFormLayout;
    form->addRow(tr("Name:"), m_name);
    form->addRow(tr("Queues:"), m_queues);
    auto *secretRow = new QHBoxLayout;
    secretRow->addWidget(m_secret, 1);
    secretRow->addWidget(m_copy);
    auto *newBox = new QGroupBox(tr("New token"), this);
    auto *newLayout = new QVBoxLayout(newBox);
    newLayout->addLayout(form);
    newLayout->addWidget(createButton, 0, Qt::AlignRight);
    newLayout->addLayout(secretRow);
    newLayout->addWidget(m_secretNote);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    auto *listButtons = new QHBoxLayout;
    listButtons->addStretch(1);
    listButtons->addWidget(revokeButton);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addLayout(listButtons);
    layout->addWidget(newBox);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(640, 560);
    reload();
}

TokensDialog::~TokensDialog() = default;

void TokensDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(!message.isEmpty());
}

void TokensDialog::reload()
{
    m_client->listProducerTokens().then(this, [this](const Result<QList<ProducerToken>> &tokens) {
        if (!tokens)
            return showError(tokens.error().message);
        m_list->clear();
        for (const ProducerToken &token : *tokens) {
            QStringList queues;
            for (const QString &id : token.queueIds)
                queues.append(m_queueNames.value(id, id));
            new QTreeWidgetItem(m_list, {token.name, queues.join(QStringLiteral(", ")),
                                         QDateTime::fromMSecsSinceEpoch(token.createdAtMs)
                                             .toString(QStringLiteral("yyyy-MM-dd HH:mm"))});
        }
    });
}

void TokensDialog::create(const QString &name, const QStringList &queueIds)
{
    showError({});
    m_client->createProducerToken(name, queueIds)
        .then(this, [this](const Result<ProducerToken> &token) {
            if (!token)
                return showError(token.error().message);
            m_secret->setText(token->token);
            m_secretNote->setText(tr("This is the only time the token is shown: copy it now "
                                     "into the producer's configuration."));
            for (QWidget *widget :
                 {static_cast<QWidget *>(m_secret), static_cast<QWidget *>(m_copy),
                  static_cast<QWidget *>(m_secretNote)})
                widget->setVisible(true);
            m_name->clear();
            reload();
        });
}

void TokensDialog::revoke(const QString &name)
{
    m_client->revokeProducerToken(name).then(this, [this](const Result<void> &answer) {
        if (!answer)
            return showError(answer.error().message);
        reload();
    });
}

QStringList TokensDialog::names() const
{
    QStringList names;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        names.append(m_list->topLevelItem(i)->text(0));
    return names;
}

QString TokensDialog::shownSecret() const
{
    return m_secret->isHidden() ? QString() : m_secret->text();
}

QString TokensDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

} // namespace QueueDeck::Ui
