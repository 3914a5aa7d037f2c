// The gutter: line numbers and, left of them, the icon of each line's worst diagnostic.
#include "widgets/codeeditor.h"

#include "widgets/codeeditor_p.h"

#include <QHash>
#include <QHelpEvent>
#include <QMouseEvent>
#include <QPainter>
#include <QTextBlock>
#include <QToolTip>

namespace kd::widgets {

namespace {
constexpr int kPadding = 4;

int iconSize(const QFontMetrics &metrics) {
    return std::max(10, metrics.height() - 3);
}
} // namespace

CodeEditorGutter::CodeEditorGutter(CodeEditor *editor)
    : QWidget(editor)
    , m_editor(editor) {
    setCursor(Qt::ArrowCursor);
}

CodeEditorGutter::~CodeEditorGutter() = default;

QSize CodeEditorGutter::sizeHint() const {
    return {m_editor->gutterWidth(), 0};
}

void CodeEditorGutter::paintEvent(QPaintEvent *event) {
    m_editor->paintGutter(event);
}

void CodeEditorGutter::mousePressEvent(QMouseEvent *event) {
    if (event->button() == Qt::LeftButton)
        m_editor->gutterClicked(event->position().toPoint());
    event->accept();
}

bool CodeEditorGutter::event(QEvent *event) {
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        const int line = m_editor->lineAtGutterY(help->pos().y());
        const QString text = line > 0 ? m_editor->gutterToolTip(line) : QString();
        if (text.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), Qt::convertFromPlainText(text), this);
        return true;
    }
    return QWidget::event(event);
}

int CodeEditor::gutterWidth() const {
    int digits = 1;
    for (int n = std::max(1, blockCount()); n >= 10; n /= 10)
        ++digits;
    const QFontMetrics metrics(font());
    // At least two digits, so that the gutter does not jump at line 10.
    return kPadding + iconSize(metrics) + kPadding +
           metrics.horizontalAdvance(QLatin1Char('9')) * std::max(2, digits) + 2 * kPadding;
}

void CodeEditor::updateGutterGeometry() {
    const int width = gutterWidth();
    if (viewportMargins().left() != width)
        setViewportMargins(width, 0, 0, 0);
    const QRect area = contentsRect();
    m_gutter->setGeometry(QRect(area.left(), area.top(), width, area.height()));
}

int CodeEditor::lineAtGutterY(int y) const {
    QTextBlock block = firstVisibleBlock();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid()) {
        const qreal bottom = top + blockBoundingRect(block).height();
        if (block.isVisible() && y >= top && y < bottom)
            return block.blockNumber() + 1;
        if (top > y)
            break;
        top = bottom;
        block = block.next();
    }
    return 0;
}

void CodeEditor::gutterClicked(const QPoint &pos) {
    const int line = lineAtGutterY(pos.y());
    const DiagnosticList onLine = line > 0 ? diagnosticsOnLine(line) : DiagnosticList();
    if (onLine.isEmpty())
        return;
    goTo(onLine.front().line, onLine.front().column);
    emit diagnosticActivated(onLine.front());
}

void CodeEditor::paintGutter(QPaintEvent *event) {
    QPainter painter(m_gutter);
    painter.fillRect(event->rect(), m_theme.gutterBackground);

    QHash<int, Severity> worst; // block number → worst severity on it
    for (const Anchored &a : std::as_const(m_diagnostics)) {
        const int block = document()->findBlock(a.range.selectionStart()).blockNumber();
        const auto it = worst.constFind(block);
        if (it == worst.constEnd() || *it < a.diagnostic.severity)
            worst.insert(block, a.diagnostic.severity);
    }

    const QFontMetrics metrics(font());
    const int icon = iconSize(metrics);
    const int numbersRight = m_gutter->width() - 2 * kPadding;
    const int currentBlock = textCursor().blockNumber();
    QFont bold = font();
    bold.setBold(true);

    QTextBlock block = firstVisibleBlock();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal height = blockBoundingRect(block).height();
        if (block.isVisible() && top + height >= event->rect().top()) {
            const int number = block.blockNumber();
            const bool isCurrent = number == currentBlock;
            painter.setFont(isCurrent ? bold : font());
            painter.setPen(isCurrent ? m_theme.gutterCurrentText : m_theme.gutterText);
            const int lineHeight = metrics.height();
            painter.drawText(QRect(0, qRound(top), numbersRight, lineHeight), Qt::AlignRight,
                             QString::number(number + 1));
            const auto it = worst.constFind(number);
            if (it != worst.constEnd()) {
                const QRectF iconRect(kPadding, top + (lineHeight - icon) / 2.0, icon, icon);
                paintSeverityIcon(&painter, iconRect, *it, m_theme.severityColour(*it));
            }
        }
        top += height;
        block = block.next();
    }
}

} // namespace kd::widgets
