// The editor tab's widgets, actions, diagnostics and quick fixes. Files, live objects and the
// cluster runs are in editorpanework.cpp.
#include "ui/editorpane.h"

#include "manifest/completion.h"
#include "manifest/textedits.h"
#include "ui/connection.h"
#include "ui/editoractions.h"
#include "ui/editormessagebar.h"
#include "ui/editorvalidation.h"
#include "widgets/codeeditor.h"
#include "widgets/diagnosticsmodel.h"
#include "widgets/diffview.h"

#include <QAction>
#include <QCheckBox>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMenu>
#include <QPushButton>
#include <QSettings>
#include <QSplitter>
#include <QStackedWidget>
#include <QTableView>
#include <QTextBlock>
#include <QToolBar>
#include <QVBoxLayout>

namespace kd::ui {

namespace {

const QString kThemeKey = QStringLiteral("editor/theme");
const QString kServerCode = QStringLiteral("server");

QAction *makeAction(QObject *parent, const QString &text, const QString &name,
                    const QKeySequence &shortcut, const QString &tip) {
    auto *a = new QAction(text, parent);
    a->setObjectName(name);
    if (!shortcut.isEmpty())
        a->setShortcut(shortcut);
    a->setToolTip(shortcut.isEmpty()
                      ? tip
                      : tip + QStringLiteral(" (") + shortcut.toString(QKeySequence::NativeText) +
                            QLatin1Char(')'));
    return a;
}

} // namespace

EditorPane::EditorPane(Connection *connection, QWidget *parent)
    : QWidget(parent)
    , m_connection(connection)
    , m_validator(new EditorValidator(this))
    , m_runner(new ManifestRunner(connection, this)) {
    setObjectName(QStringLiteral("editorPane"));
    buildActions();
    buildUi();
    setDarkTheme(QSettings().value(kThemeKey).toString() == QLatin1String("dark"));

    connect(m_validator, &EditorValidator::validated, this, &EditorPane::onValidated);
    connect(m_validator, &EditorValidator::busyChanged, this, &EditorPane::updateStatus);
    connect(m_runner, &ManifestRunner::finished, this, &EditorPane::onRunFinished);
    connect(m_connection, &Connection::stateChanged, this, &EditorPane::loadClusterSchemas);
    connect(m_editor, &QPlainTextEdit::textChanged, this,
            [this] { m_validator->schedule(m_editor->toPlainText()); });
    connect(m_editor->document(), &QTextDocument::modificationChanged, this,
            &EditorPane::updateTitle);
    connect(m_editor, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        updateStatus();
        updateQuickFixAction();
    });
    updateTitle();
    updateStatus();
}

EditorPane::~EditorPane() = default;

void EditorPane::buildActions() {
    m_new = makeAction(this, tr("New"), QStringLiteral("editorNew"), QKeySequence::New,
                       tr("Start an empty manifest"));
    m_open = makeAction(this, tr("Open…"), QStringLiteral("editorOpen"), QKeySequence::Open,
                        tr("Open a manifest file"));
    m_save = makeAction(this, tr("Save"), QStringLiteral("editorSave"), QKeySequence::Save,
                        tr("Save the manifest"));
    m_saveAs = makeAction(this, tr("Save As…"), QStringLiteral("editorSaveAs"),
                          QKeySequence(QStringLiteral("Ctrl+Shift+S")),
                          tr("Save the manifest to another file"));
    m_openLive = makeAction(this, tr("Open live object"), QStringLiteral("editorOpenLive"),
                            QKeySequence(QStringLiteral("Ctrl+Shift+O")),
                            tr("Edit the object selected in the browser, as the cluster has it"));
    m_diffAction = makeAction(this, tr("Diff"), QStringLiteral("editorDiff"),
                              QKeySequence(QStringLiteral("Ctrl+Shift+D")),
                              tr("Compare the live objects with what applying would make of them"));
    m_dryRun = makeAction(this, tr("Dry run"), QStringLiteral("editorDryRun"),
                          QKeySequence(QStringLiteral("Ctrl+Shift+Return")),
                          tr("Let the server check every object without changing anything"));
    m_apply = makeAction(this, tr("Apply"), QStringLiteral("editorApply"),
                         QKeySequence(QStringLiteral("Ctrl+Return")),
                         tr("Server-side apply every object in the editor"));
    m_quickFix = makeAction(this, tr("Quick fix…"), QStringLiteral("editorQuickFix"),
                            QKeySequence(QStringLiteral("Ctrl+.")),
                            tr("Fix the problem on the cursor's line"));
    m_quickFix->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    m_darkTheme = makeAction(this, tr("Dark theme"), QStringLiteral("editorDarkTheme"), {},
                             tr("Light or dark colours for the editor"));
    m_darkTheme->setCheckable(true);
    // File and cluster actions work from anywhere in the window (they are in the menu bar); the
    // quick fix only where the editor is.
    for (QAction *a :
         {m_new, m_open, m_save, m_saveAs, m_openLive, m_diffAction, m_dryRun, m_apply})
        a->setShortcutContext(Qt::WindowShortcut);
    addAction(m_quickFix);

    connect(m_new, &QAction::triggered, this, &EditorPane::newDocument);
    connect(m_open, &QAction::triggered, this, [this] {
        whenSafeToReplace(tr("open a file"), [this] {
            const QString path = QFileDialog::getOpenFileName(
                this, tr("Open a manifest"), QFileInfo(m_path).path(),
                tr("YAML manifests (*.yaml *.yml *.json);;All files (*)"));
            if (!path.isEmpty())
                loadFile(path);
        });
    });
    connect(m_save, &QAction::triggered, this, &EditorPane::saveFile);
    connect(m_saveAs, &QAction::triggered, this, [this] {
        const QString path =
            QFileDialog::getSaveFileName(this, tr("Save the manifest as"), m_path,
                                         tr("YAML manifests (*.yaml *.yml);;All files (*)"));
        if (!path.isEmpty())
            saveFileAs(path);
    });
    connect(m_openLive, &QAction::triggered, this, [this] {
        auto [kindKey, object] =
            m_selection ? m_selection() : std::pair<QString, kube::ObjectPtr>{};
        if (!object) {
            m_message->showMessage(EditorMessageBar::Kind::Info,
                                   tr("Select an object in Resources or Topology first, then "
                                      "open it here."));
            return;
        }
        openLiveObject(kindKey, object);
    });
    connect(m_diffAction, &QAction::triggered, this, &EditorPane::showDiff);
    connect(m_dryRun, &QAction::triggered, this, &EditorPane::dryRun);
    connect(m_apply, &QAction::triggered, this, [this] { apply(false); });
    connect(m_quickFix, &QAction::triggered, this, [this] {
        const QRect cursor = m_editor->cursorRect();
        showQuickFixMenu(m_editor->textCursor().blockNumber() + 1,
                         m_editor->viewport()->mapToGlobal(cursor.bottomLeft()));
    });
    connect(m_darkTheme, &QAction::toggled, this, &EditorPane::setDarkTheme);

    m_menu = new QMenu(tr("&Editor"), this);
    m_menu->setObjectName(QStringLiteral("editorMenu"));
    m_menu->addActions({m_new, m_open, m_save, m_saveAs});
    m_menu->addSeparator();
    m_menu->addActions({m_openLive, m_diffAction, m_dryRun, m_apply});
    m_menu->addSeparator();
    m_menu->addActions({m_quickFix, m_darkTheme});
}

void EditorPane::buildUi() {
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(4);
    auto *bar = new QToolBar(tr("Editor"), this);
    bar->setObjectName(QStringLiteral("editorToolbar"));
    bar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    bar->addActions({m_new, m_open, m_save, m_saveAs});
    bar->addSeparator();
    bar->addActions({m_openLive, m_diffAction, m_dryRun, m_apply});
    bar->addSeparator();
    bar->addActions({m_quickFix, m_darkTheme});
    layout->addWidget(bar);
    m_message = new EditorMessageBar(this);
    layout->addWidget(m_message);

    m_stack = new QStackedWidget(this);
    m_stack->setObjectName(QStringLiteral("editorStack"));
    auto *split = new QSplitter(Qt::Vertical, m_stack);
    split->setObjectName(QStringLiteral("editorSplitter"));
    m_editor = new widgets::CodeEditor(split);
    m_editor->setObjectName(QStringLiteral("yamlEditor"));
    m_editor->setLanguage(widgets::CodeEditor::Language::Yaml);
    m_editor->setContextMenuPolicy(Qt::CustomContextMenu);
    m_editor->setPlaceholderText(
        tr("Open a manifest (Ctrl+O), or select an object in Resources and open it here "
           "(Ctrl+Shift+O). Ctrl+Space completes fields from the schema."));
    m_editor->setCompletionProvider([this](const widgets::CompletionRequest &request) {
        const QByteArray utf8 = request.text.toUtf8();
        const std::string_view text(utf8.constData(), static_cast<std::size_t>(utf8.size()));
        const int column =
            manifest::byteColumn(manifest::lineAt(text, request.line), request.column);
        widgets::CompletionList list;
        for (const manifest::CompletionItem &item :
             manifest::complete(text, request.line, column, *m_validator->catalog()))
            list.push_back({QString::fromStdString(item.label),
                            QString::fromStdString(item.detail) +
                                (item.required ? tr(" · required") : QString()),
                            QString::fromStdString(item.insertText)});
        return list;
    });
    connect(m_editor, &QWidget::customContextMenuRequested, this, &EditorPane::showContextMenu);
    connect(m_editor, &widgets::CodeEditor::diagnosticActivated, this,
            [this](const widgets::Diagnostic &d) {
                const QRect cursor = m_editor->cursorRect();
                showQuickFixMenu(d.line, m_editor->viewport()->mapToGlobal(cursor.bottomLeft()),
                                 true);
            });

    auto *problemsBox = new QWidget(split);
    auto *problemsLayout = new QVBoxLayout(problemsBox);
    problemsLayout->setContentsMargins(0, 0, 0, 0);
    problemsLayout->setSpacing(2);
    m_problemsHeader = new QLabel(problemsBox);
    m_problemsHeader->setObjectName(QStringLiteral("problemsHeader"));
    m_problems = new widgets::DiagnosticsModel(this);
    m_problemsView = new QTableView(problemsBox);
    m_problemsView->setObjectName(QStringLiteral("problemsView"));
    m_problemsView->setModel(m_problems);
    m_problemsView->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_problemsView->setSelectionMode(QAbstractItemView::SingleSelection);
    m_problemsView->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_problemsView->setSortingEnabled(true);
    m_problemsView->sortByColumn(widgets::DiagnosticsModel::SeverityColumn, Qt::AscendingOrder);
    m_problemsView->verticalHeader()->hide();
    m_problemsView->verticalHeader()->setDefaultSectionSize(22);
    m_problemsView->horizontalHeader()->setSectionResizeMode(
        widgets::DiagnosticsModel::MessageColumn, QHeaderView::Stretch);
    m_problemsView->horizontalHeader()->setSectionResizeMode(widgets::DiagnosticsModel::RuleColumn,
                                                             QHeaderView::ResizeToContents);
    m_problemsView->setWordWrap(false);
    m_problemsView->setTextElideMode(Qt::ElideRight);
    auto jump = [this](const QModelIndex &index) {
        if (!index.isValid())
            return;
        m_editor->goTo(index.data(widgets::DiagnosticsModel::LineRole).toInt(),
                       index.data(widgets::DiagnosticsModel::ColumnRole).toInt());
        m_editor->setFocus(Qt::OtherFocusReason);
    };
    connect(m_problemsView, &QAbstractItemView::clicked, this, jump);
    connect(m_problemsView, &QAbstractItemView::activated, this, jump);
    problemsLayout->addWidget(m_problemsHeader);
    problemsLayout->addWidget(m_problemsView);
    split->addWidget(m_editor);
    split->addWidget(problemsBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    m_stack->addWidget(split);

    auto *diffPage = new QWidget(m_stack);
    auto *diffLayout = new QVBoxLayout(diffPage);
    diffLayout->setContentsMargins(0, 0, 0, 0);
    auto *diffBar = new QHBoxLayout;
    m_diffSummary = new QLabel(diffPage);
    m_diffSummary->setObjectName(QStringLiteral("diffSummary"));
    m_diffSummary->setWordWrap(true);
    auto *previous = new QPushButton(tr("Previous change"), diffPage);
    auto *next = new QPushButton(tr("Next change"), diffPage);
    auto *unified = new QCheckBox(tr("Unified"), diffPage);
    auto *back = new QPushButton(tr("Back to the editor"), diffPage);
    back->setObjectName(QStringLiteral("closeDiff"));
    diffBar->addWidget(m_diffSummary, 1);
    diffBar->addWidget(previous);
    diffBar->addWidget(next);
    diffBar->addWidget(unified);
    diffBar->addWidget(back);
    m_diff = new widgets::DiffView(diffPage);
    m_diff->setObjectName(QStringLiteral("editorDiffView"));
    diffLayout->addLayout(diffBar);
    diffLayout->addWidget(m_diff, 1);
    m_stack->addWidget(diffPage);
    connect(previous, &QPushButton::clicked, m_diff, &widgets::DiffView::previousChange);
    connect(next, &QPushButton::clicked, m_diff, &widgets::DiffView::nextChange);
    connect(unified, &QCheckBox::toggled, m_diff, [this](bool on) {
        m_diff->setMode(on ? widgets::DiffView::Mode::Unified
                           : widgets::DiffView::Mode::SideBySide);
    });
    connect(back, &QPushButton::clicked, this, &EditorPane::closeDiff);
    layout->addWidget(m_stack, 1);

    m_status = new QLabel(this);
    m_status->setObjectName(QStringLiteral("editorStatus"));
    m_status->setContentsMargins(4, 0, 4, 2);
    layout->addWidget(m_status);
}

bool EditorPane::isModified() const {
    return m_editor->document()->isModified();
}

bool EditorPane::isDiffShown() const {
    return m_stack->currentIndex() == 1;
}

void EditorPane::closeDiff() {
    m_stack->setCurrentIndex(0);
    m_editor->setFocus(Qt::OtherFocusReason);
}

QString EditorPane::tabTitle() const {
    QString name = !m_path.isEmpty()       ? QFileInfo(m_path).fileName()
                   : !m_liveName.isEmpty() ? m_liveName
                                           : tr("untitled");
    if (isModified())
        name += QLatin1Char('*');
    const int problems = m_problems->rowCount();
    return problems > 0 ? tr("Editor — %1 (%2)").arg(name).arg(problems)
                        : tr("Editor — %1").arg(name);
}

void EditorPane::updateTitle() {
    emit tabTitleChanged(tabTitle());
}

void EditorPane::updateStatus() {
    const QTextCursor cursor = m_editor->textCursor();
    QStringList parts;
    parts << tr("Ln %1, Col %2").arg(cursor.blockNumber() + 1).arg(cursor.positionInBlock() + 1);
    if (!m_path.isEmpty())
        parts << m_path;
    else if (!m_liveName.isEmpty())
        parts << tr("%1 from the cluster").arg(m_liveName);
    parts << tr("schemas: %1").arg(m_validator->schemaSource());
    if (m_validator->isBusy())
        parts << tr("checking…");
    m_status->setText(parts.join(QStringLiteral("  ·  ")));
    m_status->setToolTip(m_schemaNote);
}

std::vector<manifest::Finding> EditorPane::findings() const {
    std::vector<manifest::Finding> all = m_lintFindings;
    all.insert(all.end(), m_serverFindings.begin(), m_serverFindings.end());
    return all;
}

void EditorPane::onValidated(const EditorValidation &result) {
    m_lintFindings = result.findings;
    m_lintedText = result.text;
    m_validatedOnce = true;
    // The server's findings stay until the next Dry run or Apply; the editor has kept them on
    // their text while the user typed.
    widgets::DiagnosticList all = result.diagnostics;
    for (const widgets::Diagnostic &d : m_editor->diagnostics())
        if (d.code == kServerCode)
            all.push_back(d);
    m_editor->setDiagnostics(all);
    showDiagnostics();
    updateQuickFixAction();
    updateStatus();
    emit validated();
}

void EditorPane::showDiagnostics() {
    const widgets::DiagnosticList all = m_editor->diagnostics();
    m_problems->setDiagnostics(all);
    const int errors = m_problems->count(widgets::Severity::Error);
    const int warnings = m_problems->count(widgets::Severity::Warning);
    const int infos = m_problems->count(widgets::Severity::Info);
    QStringList counts;
    if (errors > 0)
        counts << tr("%n error(s)", nullptr, errors);
    if (warnings > 0)
        counts << tr("%n warning(s)", nullptr, warnings);
    if (infos > 0)
        counts << tr("%n info", nullptr, infos);
    m_problemsHeader->setText(all.isEmpty()
                                  ? tr("Problems: none")
                                  : tr("Problems: %1").arg(counts.join(QStringLiteral(", "))));
    updateTitle();
}

QList<QAction *> EditorPane::quickFixActions(int line) {
    QList<QAction *> actions;
    if (m_lintedText != m_editor->toPlainText())
        return actions; // the fixes are for a text that has changed since
    for (const manifest::Finding &f : m_lintFindings) {
        if (f.position.line != line)
            continue;
        for (const manifest::QuickFix &fix : f.fixes) {
            auto *a = new QAction(tr("Quick fix: %1").arg(QString::fromStdString(fix.title)), this);
            connect(a, &QAction::triggered, this, [this, fix] { applyQuickFix(fix); });
            actions << a;
        }
    }
    return actions;
}

bool EditorPane::applyQuickFix(const manifest::QuickFix &fix) {
    const QString text = m_editor->toPlainText();
    if (text != m_lintedText) {
        m_message->showMessage(EditorMessageBar::Kind::Info,
                               tr("The text changed since it was checked; try the quick fix "
                                  "again in a moment."));
        m_validator->validateNow(text);
        return false;
    }
    const std::string utf8 = text.toStdString();
    std::string why;
    if (!manifest::applyTextEdits(utf8, fix.edits, &why)) {
        m_message->showMessage(
            EditorMessageBar::Kind::Error,
            tr("The quick fix \"%1\" cannot be applied: %2")
                .arg(QString::fromStdString(fix.title), QString::fromStdString(why)));
        return false;
    }
    // Positions are in the text as it was: edit from the last to the first, in one undo step.
    std::vector<manifest::TextEdit> edits = fix.edits;
    std::stable_sort(edits.begin(), edits.end(), [](const auto &a, const auto &b) {
        return std::pair(a.start.line, a.start.column) > std::pair(b.start.line, b.start.column);
    });
    QTextDocument *doc = m_editor->document();
    auto position = [doc](manifest::Position p) {
        const QTextBlock block = doc->findBlockByNumber(p.line - 1);
        const QByteArray line = block.text().toUtf8();
        const int column = manifest::utf16Column(
            std::string_view(line.constData(), static_cast<std::size_t>(line.size())), p.column);
        return block.position() + std::min(column - 1, block.length() - 1);
    };
    QTextCursor cursor(doc);
    cursor.beginEditBlock();
    for (const manifest::TextEdit &e : edits) {
        cursor.setPosition(position(e.start));
        cursor.setPosition(position(e.end), QTextCursor::KeepAnchor);
        cursor.insertText(QString::fromStdString(e.newText));
    }
    cursor.endEditBlock();
    m_message->showMessage(EditorMessageBar::Kind::Success,
                           tr("Fixed: %1").arg(QString::fromStdString(fix.title)));
    m_validator->validateNow(m_editor->toPlainText());
    return true;
}

void EditorPane::showQuickFixMenu(int line, const QPoint &globalPos, bool quiet) {
    const QList<QAction *> actions = quickFixActions(line);
    if (actions.isEmpty() && quiet)
        return;
    if (actions.isEmpty()) {
        m_message->showMessage(EditorMessageBar::Kind::Info,
                               m_lintedText != m_editor->toPlainText()
                                   ? tr("Still checking the text; try again in a moment.")
                                   : tr("There is no quick fix on line %1.").arg(line));
        return;
    }
    auto *menu = new QMenu(this);
    menu->setObjectName(QStringLiteral("quickFixMenu"));
    menu->setAttribute(Qt::WA_DeleteOnClose);
    for (QAction *a : actions)
        a->setParent(menu);
    menu->addActions(actions);
    menu->popup(globalPos);
}

void EditorPane::showContextMenu(const QPoint &pos) {
    QMenu *menu = m_editor->createStandardContextMenu(pos);
    menu->setAttribute(Qt::WA_DeleteOnClose);
    const QList<QAction *> fixes =
        quickFixActions(m_editor->cursorForPosition(pos).blockNumber() + 1);
    if (!fixes.isEmpty()) {
        QAction *first = menu->actions().value(0);
        for (QAction *a : fixes)
            a->setParent(menu);
        menu->insertActions(first, fixes);
        menu->insertSeparator(first);
    }
    menu->popup(m_editor->viewport()->mapToGlobal(pos));
}

void EditorPane::updateQuickFixAction() {
    const int line = m_editor->textCursor().blockNumber() + 1;
    const bool any =
        m_lintedText == m_editor->toPlainText() &&
        std::any_of(m_lintFindings.begin(), m_lintFindings.end(),
                    [line](const auto &f) { return f.position.line == line && !f.fixes.empty(); });
    m_quickFix->setEnabled(any);
}

void EditorPane::setDarkTheme(bool dark) {
    const widgets::EditorTheme theme =
        dark ? widgets::EditorTheme::dark() : widgets::EditorTheme::light();
    m_editor->setTheme(theme);
    m_diff->setTheme(theme);
    m_problemsView->setPalette(theme.palette(m_problemsView->palette()));
    if (m_darkTheme->isChecked() != dark)
        m_darkTheme->setChecked(dark);
    QSettings().setValue(kThemeKey, dark ? QStringLiteral("dark") : QStringLiteral("light"));
}

bool EditorPane::isDarkTheme() const {
    return m_editor->theme().isDark;
}

void EditorPane::setUnsavedChangesHandler(UnsavedChangesHandler handler) {
    m_unsavedHandler = std::move(handler);
}

void EditorPane::setSelectionProvider(SelectionProvider provider) {
    m_selection = std::move(provider);
}

void EditorPane::showEvent(QShowEvent *event) {
    QWidget::showEvent(event);
    if (!m_validatedOnce && !m_validator->isBusy())
        m_validator->validateNow(m_editor->toPlainText());
}

} // namespace kd::ui
