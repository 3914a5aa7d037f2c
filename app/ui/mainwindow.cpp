#include "ui/mainwindow.h"

#include "kube/execapprovals.h"
#include "model/columns.h"
#include "model/kindtreemodel.h"
#include "model/resourcetablemodel.h"
#include "ui/connection.h"
#include "ui/detailspane.h"
#include "ui/editorpane.h"
#include "ui/gpupane.h"
#include "ui/objectactions.h"
#include "ui/topologypane.h"

#include <QCloseEvent>
#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMenuBar>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QSortFilterProxyModel>
#include <QSplitter>
#include <QStatusBar>
#include <QTabWidget>
#include <QTableView>
#include <QToolBar>
#include <QTreeView>
#include <QVBoxLayout>

#include <array>

namespace kd::ui {

namespace {

// The state line's words and colour.
std::pair<QString, QString> stateLook(Connection::State state) {
    switch (state) {
    case Connection::State::Idle:
        return {QObject::tr("Not connected"), QStringLiteral("#777777")};
    case Connection::State::StartingSandbox:
        return {QObject::tr("Starting the sandbox cluster…"), QStringLiteral("#3366cc")};
    case Connection::State::Connecting:
        return {QObject::tr("Connecting…"), QStringLiteral("#3366cc")};
    case Connection::State::Connected:
        return {QObject::tr("Connected"), QStringLiteral("#2e9e4f")};
    case Connection::State::Failed:
        return {QObject::tr("Not connected"), QStringLiteral("#d03434")};
    }
    return {};
}

} // namespace

MainWindow::MainWindow(StartOptions options, QWidget *parent)
    : QMainWindow(parent)
    , m_options(std::move(options)) {
    setObjectName(QStringLiteral("mainWindow"));
    setWindowTitle(tr("Kubedeck"));
    Connection::Options co;
    co.kubeconfigPath = m_options.kubeconfigPath;
    co.approvalsPath = kube::ExecApprovals::defaultStorePath();
    co.sandboxScenario = m_options.sandboxScenario.toStdString();
    co.sandboxSpeed = m_options.sandboxSpeed;
    m_connection = new Connection(co, this);
    buildUi();
    QSettings settings;
    if (!restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray()))
        resize(1400, 860);
    m_splitter->restoreState(settings.value(QStringLiteral("window/splitter")).toByteArray());

    connect(m_connection, &Connection::contextsChanged, this, &MainWindow::onContextsChanged);
    connect(m_connection, &Connection::stateChanged, this, &MainWindow::onConnectionState);
    connect(m_connection, &Connection::execApprovalRequired, this,
            [this](const QString &id, const kube::ExecDescription &what) {
                askExecApproval(id, what.text());
            });
    connect(m_connection, &Connection::kindProblem, m_kindModel,
            &model::KindTreeModel::setKindProblem);
    connect(m_connection->store(), &model::ObjectStore::objectsChanged, this,
            [this](const QString &kindKey) {
                if (kindKey == QLatin1String("namespaces"))
                    refreshNamespaces();
                refreshDetails();
            });
}

MainWindow::~MainWindow() = default;

void MainWindow::buildUi() {
    auto *top = new QToolBar(tr("Connection"), this);
    top->setObjectName(QStringLiteral("connectionBar"));
    top->setMovable(false);
    addToolBar(Qt::TopToolBarArea, top);
    top->addWidget(new QLabel(tr(" Context "), top));
    m_contextBox = new QComboBox(top);
    m_contextBox->setObjectName(QStringLiteral("contextBox"));
    m_contextBox->setMinimumContentsLength(28);
    m_contextBox->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    top->addWidget(m_contextBox);
    top->addWidget(new QLabel(tr("  Namespace "), top));
    m_namespaceBox = new QComboBox(top);
    m_namespaceBox->setObjectName(QStringLiteral("namespaceBox"));
    m_namespaceBox->setMinimumContentsLength(18);
    top->addWidget(m_namespaceBox);
    top->addSeparator();
    m_stateLabel = new QLabel(top);
    m_stateLabel->setObjectName(QStringLiteral("stateLabel"));
    m_stateLabel->setTextFormat(Qt::RichText);
    top->addWidget(m_stateLabel);

    m_actions = new ObjectActions(m_connection, this);
    auto *actionBar = new QToolBar(tr("Actions"), this);
    actionBar->setObjectName(QStringLiteral("actionBar"));
    actionBar->setMovable(false);
    actionBar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    for (QAction *a : m_actions->actions())
        actionBar->addAction(a);
    addToolBarBreak();
    addToolBar(Qt::TopToolBarArea, actionBar);

    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    layout->setContentsMargins(4, 4, 4, 4);
    auto *bannerRow = new QHBoxLayout;
    m_banner = new QLabel(central);
    m_banner->setObjectName(QStringLiteral("banner"));
    m_banner->setWordWrap(true);
    m_banner->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_banner->setStyleSheet(QStringLiteral(
        "QLabel#banner { background: #fdecea; color: #611a15; border: 1px solid #f5c2c0;"
        " border-radius: 4px; padding: 6px; }"));
    m_retry = new QPushButton(tr("Retry"), central);
    m_retry->setObjectName(QStringLiteral("retryButton"));
    bannerRow->addWidget(m_banner, 1);
    bannerRow->addWidget(m_retry);
    layout->addLayout(bannerRow);
    m_banner->hide();
    m_retry->hide();

    m_splitter = new QSplitter(Qt::Horizontal, central);
    m_splitter->setObjectName(QStringLiteral("mainSplitter"));
    m_kindModel = new model::KindTreeModel(m_connection->store(), this);
    m_kinds = new QTreeView(m_splitter);
    m_kinds->setObjectName(QStringLiteral("kindTree"));
    m_kinds->setModel(m_kindModel);
    m_kinds->setHeaderHidden(true);
    m_kinds->expandAll();
    m_kinds->setMinimumWidth(220);

    auto *middle = new QWidget(m_splitter);
    auto *middleLayout = new QVBoxLayout(middle);
    middleLayout->setContentsMargins(0, 0, 0, 0);
    m_filter = new QLineEdit(middle);
    m_filter->setObjectName(QStringLiteral("filterEdit"));
    m_filter->setPlaceholderText(tr("Filter by name (Ctrl+F)"));
    m_filter->setClearButtonEnabled(true);
    m_filter->addAction(new QAction(m_filter), QLineEdit::LeadingPosition);
    auto *focusFilter = new QAction(this);
    focusFilter->setShortcut(QKeySequence::Find);
    connect(focusFilter, &QAction::triggered, m_filter,
            [this] { m_filter->setFocus(Qt::ShortcutFocusReason); });
    addAction(focusFilter);
    m_tableModel = new model::ResourceTableModel(m_connection->store(), this);
    m_proxy = new QSortFilterProxyModel(this);
    m_proxy->setSourceModel(m_tableModel);
    m_proxy->setSortRole(model::ResourceTableModel::SortRole);
    m_proxy->setFilterKeyColumn(0);
    m_proxy->setFilterCaseSensitivity(Qt::CaseInsensitive);
    m_table = new QTableView(middle);
    m_table->setObjectName(QStringLiteral("resourceTable"));
    m_table->setModel(m_proxy);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(0, Qt::AscendingOrder);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(22);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->setContextMenuPolicy(Qt::ActionsContextMenu);
    connect(m_proxy, &QAbstractItemModel::rowsInserted, this, &MainWindow::fitColumns);
    connect(m_proxy, &QAbstractItemModel::modelReset, this, &MainWindow::fitColumns);
    for (QAction *a : m_actions->actions())
        m_table->addAction(a);
    middleLayout->addWidget(m_filter);
    middleLayout->addWidget(m_table);

    // The middle shows the resource table, the topology of the namespace, the GPUs or the editor.
    m_tabs = new QTabWidget(m_splitter);
    m_tabs->setObjectName(QStringLiteral("middleTabs"));
    m_tabs->addTab(middle, tr("Resources"));
    m_topology = new TopologyPane(m_connection, m_tabs);
    m_tabs->addTab(m_topology, tr("Topology"));
    connect(m_topology, &TopologyPane::objectSelected, this,
            [this](const QString &kindKey, const kube::ObjectPtr &object) {
                selectObject(kindKey, object->namespaceName(), object->name());
            });
    connect(m_topology, &TopologyPane::message, this, [this](const QString &text, bool error) {
        statusBar()->showMessage(text, error ? 0 : 8000);
        if (error)
            QMessageBox::warning(this, tr("Kubedeck"), text);
    });

    m_gpus = new GpuPane(m_connection, m_tabs);
    m_tabs->addTab(m_gpus, tr("GPUs"));
    connect(m_gpus, &GpuPane::workloadSelected, this, &MainWindow::showWorkload);

    m_editor = new EditorPane(m_connection, m_tabs);
    m_tabs->addTab(m_editor, m_editor->tabTitle());
    connect(m_editor, &EditorPane::tabTitleChanged, m_tabs,
            [this](const QString &title) { m_tabs->setTabText(m_tabs->indexOf(m_editor), title); });
    m_editor->setSelectionProvider([this] {
        return std::pair{selectedKindKey(), selectedObject()};
    });
    menuBar()->addMenu(m_editor->menu());
    connect(m_actions, &ObjectActions::editYamlRequested, this,
            [this](const QString &kindKey, const kube::ObjectPtr &object) {
                m_tabs->setCurrentWidget(m_editor);
                m_editor->openLiveObject(kindKey, object);
            });

    m_details = new DetailsPane(m_splitter);
    m_splitter->addWidget(m_kinds);
    m_splitter->addWidget(m_tabs);
    m_splitter->addWidget(m_details);
    m_splitter->setStretchFactor(0, 0);
    m_splitter->setStretchFactor(1, 3);
    m_splitter->setStretchFactor(2, 2);
    layout->addWidget(m_splitter, 1);
    setCentralWidget(central);
    statusBar()->setObjectName(QStringLiteral("statusBar"));

    connect(m_contextBox, &QComboBox::activated, this, &MainWindow::onContextPicked);
    connect(m_namespaceBox, &QComboBox::activated, this, &MainWindow::onNamespacePicked);
    connect(m_retry, &QPushButton::clicked, this, [this] {
        m_connection->connectTo(m_connection->currentContextId(), m_connection->namespaceName());
    });
    connect(m_filter, &QLineEdit::textChanged, m_proxy,
            &QSortFilterProxyModel::setFilterFixedString);
    connect(m_kinds->selectionModel(), &QItemSelectionModel::currentChanged, this,
            &MainWindow::onKindSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &MainWindow::onObjectSelected);
    connect(m_actions, &ObjectActions::message, this, [this](const QString &text, bool error) {
        statusBar()->showMessage(text, error ? 0 : 8000);
        if (error)
            QMessageBox::warning(this, tr("Kubedeck"), text);
    });
    selectKind(QStringLiteral("deployments.apps"));
}

void MainWindow::start() {
    m_connection->loadContexts();
}

void MainWindow::onContextsChanged() {
    const QList<ContextEntry> &contexts = m_connection->contexts();
    m_contextBox->clear();
    for (const ContextEntry &c : contexts) {
        QString label = c.label + (c.insecure ? tr("  ⚠ insecure") : QString());
        m_contextBox->addItem(label, c.id);
        QString tip =
            tr("Server: %1\nUser: %2\nFrom: %3")
                .arg(c.server, c.authMethod, c.sandbox ? tr("the built-in sandbox") : c.sourceFile);
        if (c.insecure)
            tip += tr("\nTLS verification is OFF for this cluster (insecure-skip-tls-verify).");
        m_contextBox->setItemData(m_contextBox->count() - 1, tip, Qt::ToolTipRole);
    }
    if (!m_connection->kubeconfigProblem().isEmpty())
        statusBar()->showMessage(m_connection->kubeconfigProblem());
    else if (!m_connection->kubeconfigWarnings().isEmpty())
        statusBar()->showMessage(m_connection->kubeconfigWarnings().join(QStringLiteral("; ")));
    if (m_connectedOnce)
        return;
    m_connectedOnce = true;

    // Which context: --sandbox, --context, the last one used, the kubeconfig's current one.
    QSettings settings;
    QString id;
    if (m_options.sandbox)
        id = QStringLiteral("sandbox:admin");
    else if (!m_options.context.isEmpty())
        id = QStringLiteral("kubeconfig:") + m_options.context;
    else
        id = settings.value(QStringLiteral("connection/context")).toString();
    if (m_contextBox->findData(id) < 0 && !m_options.context.isEmpty()) {
        m_banner->setText(tr("The kubeconfig has no context named \"%1\".").arg(m_options.context));
        m_banner->show();
        return;
    }
    if (m_contextBox->findData(id) < 0)
        id = m_connection->defaultContextId();
    QString ns = m_options.namespaceName;
    if (ns.isEmpty() && settings.value(QStringLiteral("connection/context")).toString() == id)
        ns = settings.value(QStringLiteral("connection/namespace")).toString();
    m_contextBox->setCurrentIndex(m_contextBox->findData(id));
    m_connection->connectTo(id, ns);
}

void MainWindow::onContextPicked(int index) {
    QString id = m_contextBox->itemData(index).toString();
    if (id == m_connection->currentContextId() &&
        m_connection->state() != Connection::State::Failed)
        return;
    m_details->clearObject();
    m_connection->connectTo(id, QString());
    saveSettings();
}

void MainWindow::onConnectionState() {
    auto [words, colour] = stateLook(m_connection->state());
    const QString message = m_connection->stateMessage();
    QString context = m_contextBox->currentText();
    m_stateLabel->setText(
        QStringLiteral("<span style='color:%1'>●</span> %2").arg(colour, words.toHtmlEscaped()) +
        (m_connection->insecure() ? tr(" <span style='color:#d03434'>(TLS verification off)</span>")
                                  : QString()));
    m_stateLabel->setToolTip(message);
    bool failed = m_connection->state() == Connection::State::Failed;
    m_banner->setVisible(failed);
    m_retry->setVisible(failed);
    if (failed)
        m_banner->setText(message);
    setWindowTitle(context.isEmpty() ? tr("Kubedeck") : tr("%1 — Kubedeck").arg(context));
    if (m_connection->state() == Connection::State::Connecting) {
        m_restoringNamespace = true;
        refreshNamespaces();
        m_restoringNamespace = false;
    }
    m_actions->setSelection(selectedKindKey(), selectedObject());
}

void MainWindow::refreshNamespaces() {
    QString current = m_connection->namespaceName();
    QStringList names;
    for (const kube::ObjectPtr &ns : m_connection->store()->list(QStringLiteral("namespaces")))
        names << ns->name();
    if (!current.isEmpty() && !names.contains(current))
        names << current;
    names.sort();
    QStringList shown;
    for (int i = 1; i < m_namespaceBox->count(); ++i)
        shown << m_namespaceBox->itemText(i);
    if (shown != names || m_namespaceBox->count() == 0) {
        m_namespaceBox->clear();
        m_namespaceBox->addItem(tr("All namespaces"), QString());
        for (const QString &n : names)
            m_namespaceBox->addItem(n, n);
    }
    int index = m_namespaceBox->findData(current);
    m_namespaceBox->setCurrentIndex(index < 0 ? 0 : index);
    m_tableModel->setNamespaceFilter(current);
    m_kindModel->setNamespaceFilter(current);
}

void MainWindow::onNamespacePicked(int index) {
    QString ns = m_namespaceBox->itemData(index).toString();
    if (ns == m_connection->namespaceName())
        return;
    m_connection->setNamespace(ns);
    m_tableModel->setNamespaceFilter(ns);
    m_kindModel->setNamespaceFilter(ns);
    saveSettings();
    if (m_topology->isVisible())
        m_topology->refreshNow();
}

void MainWindow::selectKind(const QString &kindKey) {
    QModelIndex i = m_kindModel->indexOfKind(kindKey);
    if (i.isValid())
        m_kinds->setCurrentIndex(i);
}

void MainWindow::onKindSelected() {
    QString key = m_kinds->currentIndex().data(model::KindTreeModel::KindKeyRole).toString();
    if (key.isEmpty())
        return;
    m_tableModel->setKind(key);
    m_columnsFitted = false;
    fitColumns();
    m_details->clearObject();
    m_actions->setSelection(key, nullptr);
}

void MainWindow::fitColumns() {
    if (m_columnsFitted || m_proxy->rowCount() == 0)
        return;
    m_columnsFitted = true;
    m_table->resizeColumnsToContents();
    // A long label or message must not push every other column out of sight.
    constexpr int kWidest = 420;
    for (int c = 0; c < m_proxy->columnCount(); ++c)
        if (m_table->columnWidth(c) > kWidest)
            m_table->setColumnWidth(c, kWidest);
}

QString MainWindow::selectedKindKey() const {
    return m_tableModel->kindKey();
}

kube::ObjectPtr MainWindow::selectedObject() const {
    QModelIndex current = m_table->selectionModel()->currentIndex();
    if (!current.isValid())
        return nullptr;
    return m_tableModel->objectAt(m_proxy->mapToSource(current).row());
}

bool MainWindow::selectObject(const QString &kindKey, const QString &ns, const QString &name) {
    selectKind(kindKey);
    kube::ObjectPtr o = m_connection->store()->get(kindKey, ns, name);
    if (!o)
        return false;
    int row = m_tableModel->rowOfUid(o->uid());
    if (row < 0)
        return false;
    QModelIndex proxyIndex = m_proxy->mapFromSource(m_tableModel->index(row, 0));
    if (!proxyIndex.isValid())
        return false;
    m_table->setCurrentIndex(proxyIndex);
    m_table->scrollTo(proxyIndex);
    return true;
}

void MainWindow::showView(int index) {
    const std::array<QWidget *, 4> views{m_tabs->widget(0), m_topology, m_editor, m_gpus};
    if (index >= 0 && index < static_cast<int>(views.size()))
        m_tabs->setCurrentWidget(views[static_cast<std::size_t>(index)]);
}

void MainWindow::showWorkload(const QString &kindKey, const QString &ns, const QString &name) {
    const model::BrowsedKind *kind = model::browsedKind(kindKey);
    if (!kind)
        return;
    m_tabs->setCurrentWidget(m_topology);
    const bool shown = m_topology->selectNode(kind->kind.kind + u'/' + ns + u'/' + name);
    if (!selectObject(kindKey, ns, name) || !shown)
        statusBar()->showMessage(
            tr("%1 %2/%3 is not shown here: pick its namespace or clear the filters.")
                .arg(kind->kind.kind, ns, name),
            8000);
}

void MainWindow::onObjectSelected() {
    refreshDetails();
}

void MainWindow::refreshDetails() {
    kube::ObjectPtr object = selectedObject();
    m_actions->setSelection(selectedKindKey(), object);
    if (!object) {
        if (m_details->object())
            m_details->clearObject();
        return;
    }
    if (m_details->object() == object)
        return;
    std::vector<kube::ObjectPtr> events;
    for (const kube::ObjectPtr &ev :
         m_connection->store()->list(QStringLiteral("events"), object->namespaceName())) {
        const kube::Json &involved = ev->json().value("involvedObject", kube::Json::object());
        if (involved.value("uid", "") == object->uid().toStdString() ||
            (involved.value("name", "") == object->name().toStdString() &&
             involved.value("kind", "") == object->kind().toStdString()))
            events.push_back(ev);
    }
    std::sort(events.begin(), events.end(), [](const auto &a, const auto &b) {
        return a->json().value("lastTimestamp", "") < b->json().value("lastTimestamp", "");
    });
    m_details->showObject(selectedKindKey(), object, events);
}

void MainWindow::askExecApproval(const QString &contextId, const QString &text) {
    QMessageBox box(QMessageBox::Warning, tr("Run a credential plugin?"),
                    tr("The kubeconfig asks Kubedeck to run a program to get credentials for "
                       "this cluster. Run it only if you trust where this kubeconfig came from."),
                    QMessageBox::NoButton, this);
    box.setObjectName(QStringLiteral("execApprovalBox"));
    // The command, its arguments and environment in full (the first line repeats the warning).
    box.setInformativeText(text.section(QLatin1Char('\n'), 1));
    box.setTextInteractionFlags(Qt::TextSelectableByMouse);
    QPushButton *run = box.addButton(tr("Run and remember"), QMessageBox::AcceptRole);
    box.addButton(tr("Don't run"), QMessageBox::RejectRole);
    box.exec();
    if (box.clickedButton() == run)
        m_connection->approveExec(contextId);
}

void MainWindow::saveSettings() const {
    QSettings settings;
    settings.setValue(QStringLiteral("connection/context"), m_connection->currentContextId());
    settings.setValue(QStringLiteral("connection/namespace"), m_connection->namespaceName());
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/splitter"), m_splitter->saveState());
}

void MainWindow::closeEvent(QCloseEvent *event) {
    if (!m_editor->okToClose()) {
        event->ignore(); // the editor's text is not saved yet
        return;
    }
    saveSettings();
    QMainWindow::closeEvent(event);
}

} // namespace kd::ui
