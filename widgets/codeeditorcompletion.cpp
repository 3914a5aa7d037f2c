// Completion: asking the owner's provider, filtering, the popup and inserting the choice.
#include "widgets/codeeditor.h"

#include "widgets/codeeditor_p.h"

#include <QHeaderView>
#include <QKeyEvent>
#include <QRegularExpression>
#include <QScrollBar>
#include <QTextBlock>

namespace kd::widgets {

namespace {

constexpr int kMaxVisibleRows = 10;

bool isWordChar(QChar c) {
    return c.isLetterOrNumber() || c == QLatin1Char('_') || c == QLatin1Char('-') ||
           c == QLatin1Char('.') || c == QLatin1Char('/');
}

// Items whose label contains `prefix` (case-insensitive), those starting with it first.
CompletionList filtered(const CompletionList &items, const QString &prefix) {
    CompletionList starting;
    CompletionList containing;
    for (const CompletionItem &item : items) {
        if (item.label.startsWith(prefix, Qt::CaseInsensitive))
            starting.push_back(item);
        else if (item.label.contains(prefix, Qt::CaseInsensitive))
            containing.push_back(item);
    }
    starting.append(containing);
    return starting;
}

} // namespace

CompletionPopup::CompletionPopup(CodeEditor *editor)
    : QTreeWidget(editor)
    , m_editor(editor) {
    // A tool-tip window is never activated, so the editor keeps the keyboard focus.
    setWindowFlags(Qt::ToolTip | Qt::FramelessWindowHint);
    setAttribute(Qt::WA_ShowWithoutActivating);
    setFocusPolicy(Qt::NoFocus);
    setColumnCount(2);
    setHeaderHidden(true);
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setSelectionMode(QAbstractItemView::SingleSelection);
    setEditTriggers(QAbstractItemView::NoEditTriggers);
    setHorizontalScrollBarPolicy(Qt::ScrollBarAlwaysOff);
    header()->setStretchLastSection(false);
    header()->setSectionResizeMode(0, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    connect(this, &QTreeWidget::itemClicked, this, [this](QTreeWidgetItem *item) {
        const int row = indexOfTopLevelItem(item);
        if (row >= 0 && row < m_items.size())
            m_editor->insertCompletion(m_items.at(row));
    });
}

CompletionPopup::~CompletionPopup() = default;

void CompletionPopup::setItems(const CompletionList &items) {
    m_items = items;
    clear();
    QList<QTreeWidgetItem *> rows;
    rows.reserve(items.size());
    for (const CompletionItem &item : items) {
        auto *row = new QTreeWidgetItem({item.label, item.detail});
        row->setForeground(1, palette().color(QPalette::Disabled, QPalette::Text));
        rows.push_back(row);
    }
    addTopLevelItems(rows);
    if (!rows.isEmpty())
        setCurrentItem(rows.front());
}

const CompletionItem *CompletionPopup::currentCompletion() const {
    const int row = currentIndex().row();
    return row >= 0 && row < m_items.size() ? &m_items.at(row) : nullptr;
}

void CompletionPopup::moveCurrent(int delta) {
    if (m_items.isEmpty())
        return;
    const auto count = static_cast<int>(m_items.size());
    const int row = std::clamp(currentIndex().row() + delta, 0, count - 1);
    setCurrentItem(topLevelItem(row));
    scrollToItem(topLevelItem(row));
}

void CompletionPopup::popupAt(const QPoint &globalPos) {
    const int rows = std::min(kMaxVisibleRows, static_cast<int>(m_items.size()));
    const int rowHeight = std::max(sizeHintForRow(0), fontMetrics().height());
    const int width = std::clamp(sizeHintForColumn(0) + sizeHintForColumn(1) +
                                     verticalScrollBar()->sizeHint().width() + 8,
                                 160, 560);
    resize(width, rows * rowHeight + 2 * frameWidth());
    move(globalPos);
    show();
}

void CodeEditor::setCompletionProvider(CompletionProvider provider) {
    m_provider = std::move(provider);
    if (!m_provider)
        hideCompletion();
}

void CodeEditor::requestCompletion() {
    refreshCompletion(true);
}

bool CodeEditor::isCompletionVisible() const {
    return m_popup->isVisible();
}

QStringList CodeEditor::completionLabels() const {
    QStringList labels;
    if (!isCompletionVisible())
        return labels;
    for (const CompletionItem &item : m_popup->items())
        labels.push_back(item.label);
    return labels;
}

bool CodeEditor::acceptCompletion() {
    if (!isCompletionVisible())
        return false;
    const CompletionItem *item = m_popup->currentCompletion();
    if (!item) {
        hideCompletion();
        return false;
    }
    insertCompletion(CompletionItem(*item)); // the copy outlives the popup's list
    return true;
}

void CodeEditor::hideCompletion() {
    m_popup->hide();
}

QString CodeEditor::wordPrefix() const {
    const QTextCursor cursor = textCursor();
    const QString line = cursor.block().text();
    const int end = cursor.positionInBlock();
    int start = end;
    while (start > 0 && isWordChar(line.at(start - 1)))
        --start;
    return line.mid(start, end - start);
}

bool CodeEditor::handleCompletionKey(QKeyEvent *event) {
    if (!isCompletionVisible())
        return false;
    switch (event->key()) {
    case Qt::Key_Up:
        m_popup->moveCurrent(-1);
        return true;
    case Qt::Key_Down:
        m_popup->moveCurrent(1);
        return true;
    case Qt::Key_PageUp:
        m_popup->moveCurrent(-kMaxVisibleRows);
        return true;
    case Qt::Key_PageDown:
        m_popup->moveCurrent(kMaxVisibleRows);
        return true;
    case Qt::Key_Return:
    case Qt::Key_Enter:
    case Qt::Key_Tab:
        return acceptCompletion();
    case Qt::Key_Escape:
        hideCompletion();
        return true;
    default:
        return false;
    }
}

void CodeEditor::afterTyping(const QString &typed) {
    const QChar last = typed.back();
    if (isWordChar(last)) {
        refreshCompletion(false);
        return;
    }
    // The space after "key:" starts a value: offer what the key can hold.
    static const QRegularExpression afterKey(QStringLiteral(R"(^\s*(- )?[^#\s][^#]*:\s$)"));
    const QTextCursor cursor = textCursor();
    if (last == QLatin1Char(' ') &&
        afterKey.match(cursor.block().text().left(cursor.positionInBlock())).hasMatch()) {
        refreshCompletion(false);
        return;
    }
    hideCompletion();
}

void CodeEditor::refreshCompletion(bool explicitRequest) {
    if (!m_provider || isReadOnly()) {
        hideCompletion();
        return;
    }
    const QTextCursor cursor = textCursor();
    CompletionRequest request;
    request.text = toPlainText();
    request.line = cursor.blockNumber() + 1;
    request.column = cursor.positionInBlock() + 1;
    request.prefix = wordPrefix();
    request.explicitRequest = explicitRequest;
    const CompletionList items = filtered(m_provider(request), request.prefix);
    if (items.isEmpty()) {
        hideCompletion();
        return;
    }
    m_popup->setItems(items);
    const QRect at = cursorRect(cursor);
    m_popup->popupAt(viewport()->mapToGlobal(at.bottomLeft() + QPoint(0, 2)));
}

void CodeEditor::insertCompletion(const CompletionItem &item) {
    hideCompletion();
    QTextCursor cursor = textCursor();
    cursor.clearSelection();
    const auto prefixLength = static_cast<int>(wordPrefix().size());
    cursor.beginEditBlock();
    cursor.movePosition(QTextCursor::Left, QTextCursor::KeepAnchor, prefixLength);
    cursor.insertText(item.insertText.isEmpty() ? item.label : item.insertText);
    cursor.endEditBlock();
    setTextCursor(cursor);
}

} // namespace kd::widgets
