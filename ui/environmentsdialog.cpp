// SPDX-FileCopyrightText: QueueDeck authors
// SPDX-License-Identifier: MIT
#include "environmentsdialog.h"

#include "queuedeckclient.h"

#include <QCheckBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGroupBox>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QTreeWidget>
#include <QVBoxLayout>

namespace QueueDeck::Ui {

EnvironmentsDialog::EnvironmentsDialog(Client::QueueDeckClient *client,
                                       const QList<QueueInfo> &queues, QWidget *parent)
    : QDialog(parent), m_client(client), m_list(new QTreeWidget(this)), m_name(new QLineEdit(this)),
      m_description(new QLineEdit(this)),
      m_autoCreate(new QCheckBox(tr("Create queues on demand"), this)),
      m_delete(new QPushButton(tr("Delete…"), this)), m_error(new QLabel(this))
{
    setWindowTitle(tr("Environments"));
    for (const QueueInfo &queue : queues)
        ++m_queueCount[queue.environment];
    m_list->setHeaderLabels({tr("Name"), tr("Description"), tr("Auto-create"), tr("Queues")});
    m_list->setRootIsDecorated(false);
    m_list->setAccessibleName(tr("Environments"));
    m_list->header()->setStretchLastSection(false);
    m_list->header()->setSectionResizeMode(1, QHeaderView::Stretch);
    m_list->setColumnWidth(0, 140);
    m_name->setObjectName(QStringLiteral("environmentName"));
    m_name->setAccessibleName(tr("New environment name"));
    m_name->setPlaceholderText(tr("e.g. staging"));
    m_description->setObjectName(QStringLiteral("environmentDescription"));
    m_description->setAccessibleName(tr("New environment description"));
    m_description->setPlaceholderText(tr("what runs there, who owns it"));
    m_autoCreate->setObjectName(QStringLiteral("environmentAutoCreate"));
    m_autoCreate->setChecked(true);
    m_autoCreate->setToolTip(tr("An enqueue by queue name creates a missing queue with defaults."));
    m_delete->setObjectName(QStringLiteral("deleteEnvironment"));
    m_delete->setEnabled(false);
    m_error->setObjectName(QStringLiteral("environmentError"));
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #d64545"));
    m_error->setVisible(false);

    auto *createButton = new QPushButton(tr("Create environment"), this);
    createButton->setObjectName(QStringLiteral("createEnvironment"));
    connect(createButton, &QPushButton::clicked, this, [this] {
        const QString name = m_name->text().trimmed();
        if (name.isEmpty())
            return showError(tr("Name the environment, e.g. staging or prod."));
        create({name, m_description->text().trimmed(), m_autoCreate->isChecked(), 0});
    });
    connect(m_list, &QTreeWidget::currentItemChanged, this,
            [this](QTreeWidgetItem *item) { m_delete->setEnabled(item != nullptr); });
    connect(m_delete, &QPushButton::clicked, this, [this] {
        const QTreeWidgetItem *item = m_list->currentItem();
        if (!item)
            return;
        const QString name = item->text(0);
        if (QMessageBox::question(this, tr("Delete environment"),
                                  tr("Delete the environment %1? Only an environment without "
                                     "queues can be deleted.")
                                      .arg(name)) == QMessageBox::Yes)
            remove(name);
    });

    auto *form = new QFormLayout;
    form->addRow(tr("Name"), m_name);
    form->addRow(tr("Description"), m_description);
    form->addRow(QString(), m_autoCreate);
    form->addRow(QString(), createButton);
    auto *newBox = new QGroupBox(tr("New environment"), this);
    newBox->setLayout(form);

    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    buttons->addButton(m_delete, QDialogButtonBox::ActionRole);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_list, 1);
    layout->addWidget(newBox);
    layout->addWidget(m_error);
    layout->addWidget(buttons);
    resize(620, 440);
    reload();
}

EnvironmentsDialog::~EnvironmentsDialog() = default;

void EnvironmentsDialog::reload()
{
    m_client->listEnvironments().then(this, [this](const Result<QList<EnvironmentInfo>> &list) {
        if (!list)
            return showError(list.error().message);
        m_list->clear();
        for (const EnvironmentInfo &environment : *list) {
            auto *item = new QTreeWidgetItem(
                m_list, {environment.name, environment.description,
                         environment.autoCreate ? tr("on") : tr("off"),
                         QLocale().toString(m_queueCount.value(environment.name))});
            item->setToolTip(1, environment.description);
        }
    });
}

void EnvironmentsDialog::create(const EnvironmentInfo &environment)
{
    m_error->setVisible(false);
    m_client->createEnvironment(environment)
        .then(this, [this](const Result<EnvironmentInfo> &created) {
            if (!created)
                return showError(created.error().message);
            m_name->clear();
            m_description->clear();
            reload();
            Q_EMIT changed();
        });
}

void EnvironmentsDialog::remove(const QString &name)
{
    m_error->setVisible(false);
    m_client->deleteEnvironment(name).then(this, [this](const Result<void> &deleted) {
        if (!deleted)
            return showError(deleted.error().message);
        reload();
        Q_EMIT changed();
    });
}

QStringList EnvironmentsDialog::names() const
{
    QStringList out;
    for (int i = 0; i < m_list->topLevelItemCount(); ++i)
        out.append(m_list->topLevelItem(i)->text(0));
    return out;
}

QString EnvironmentsDialog::errorText() const
{
    return m_error->isHidden() ? QString() : m_error->text();
}

void EnvironmentsDialog::showError(const QString &message)
{
    m_error->setText(message);
    m_error->setVisible(true);
}

} // namespace QueueDeck::Ui
