#include "widgets/diffpane.h"

#include <QFontDatabase>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>

namespace kd::widgets {

namespace {
constexpr int kPadding = 6;
constexpr int kRowsAboveShown = 3;
} // namespace

class DiffPaneGutter final : public QWidget {
public:
    explicit DiffPaneGutter(DiffPane *pane)
        : QWidget(pane)
        , m_pane(pane) {}

protected:
    void paintEvent(QPaintEvent *event) override { m_pane->paintGutter(event); }

private:
    DiffPane *m_pane;
};

DiffPane::DiffPane(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_gutter(new DiffPaneGutter(this))
    , m_theme(EditorTheme::light()) {
    setReadOnly(true);
    setUndoRedoEnabled(false);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setFont(QFontDatabase::systemFont(QFontDatabase::FixedFont));
    setTextInteractionFlags(Qt::TextSelectableByMouse | Qt::TextSelectableByKeyboard);
    connect(this, &QPlainTextEdit::updateRequest, this, [this](const QRect &rect, int dy) {
        if (dy != 0)
            m_gutter->scroll(0, dy);
        else
            m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    });
    setTheme(m_theme);
}

DiffPane::~DiffPane() = default;

void DiffPane::setTheme(const EditorTheme &theme) {
    m_theme = theme;
    setPalette(theme.palette(palette()));
    m_gutter->update();
}

void DiffPane::setRows(const QVector<Row> &rows) {
    m_rows = rows;
    m_numberChars = 1;
    for (const Row &row : rows)
        m_numberChars = std::max(m_numberChars, static_cast<int>(row.number.size()));

    // One block per row, each with its own background, built in one edit.
    document()->clear();
    QTextCursor cursor(document());
    cursor.beginEditBlock();
    for (int i = 0; i < rows.size(); ++i) {
        const Row &row = rows.at(i);
        QTextBlockFormat format;
        if (row.background.isValid())
            format.setBackground(row.background);
        if (i == 0)
            cursor.setBlockFormat(format);
        else
            cursor.insertBlock(format);
        cursor.insertText(row.text);
    }
    cursor.endEditBlock();
    updateGutterGeometry();
}

QStringList DiffPane::rowTexts() const {
    QStringList out;
    out.reserve(m_rows.size());
    for (const Row &row : m_rows)
        out.push_back(row.text);
    return out;
}

void DiffPane::showRow(int row) {
    const QTextBlock block = document()->findBlockByNumber(row);
    if (!block.isValid())
        return;
    setTextCursor(QTextCursor(block));
    // Without wrapping, the vertical scroll bar counts rows.
    verticalScrollBar()->setValue(std::max(0, row - kRowsAboveShown));
}

int DiffPane::gutterWidth() const {
    return fontMetrics().horizontalAdvance(QLatin1Char('9')) * std::max(2, m_numberChars) +
           2 * kPadding;
}

void DiffPane::updateGutterGeometry() {
    setViewportMargins(gutterWidth(), 0, 0, 0);
    const QRect area = contentsRect();
    m_gutter->setGeometry(QRect(area.left(), area.top(), gutterWidth(), area.height()));
}

void DiffPane::resizeEvent(QResizeEvent *event) {
    QPlainTextEdit::resizeEvent(event);
    updateGutterGeometry();
}

void DiffPane::paintGutter(QPaintEvent *event) {
    QPainter painter(m_gutter);
    painter.fillRect(event->rect(), m_theme.gutterBackground);
    painter.setPen(m_theme.gutterText);
    painter.setFont(font());
    QTextBlock block = firstVisibleBlock();
    qreal top = blockBoundingGeometry(block).translated(contentOffset()).top();
    while (block.isValid() && top <= event->rect().bottom()) {
        const qreal height = blockBoundingRect(block).height();
        const int index = block.blockNumber();
        if (index < m_rows.size()) {
            const Row &row = m_rows.at(index);
            const QRectF rect(0, top, m_gutter->width(), height);
            if (row.background.isValid())
                painter.fillRect(rect, row.background);
            painter.drawText(rect.adjusted(0, 0, -kPadding, 0), Qt::AlignRight | Qt::AlignTop,
                             row.number);
        }
        top += height;
        block = block.next();
    }
}

} // namespace kd::widgets
