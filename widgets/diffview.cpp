#include "widgets/diffview.h"

#include "widgets/diffpane.h"

#include <QGridLayout>
#include <QLabel>
#include <QScrollBar>
#include <QStackedWidget>
#include <QVBoxLayout>

#include <algorithm>

namespace kd::widgets {

namespace {

// Keeps two scroll bars at the same value, so that facing rows stay facing.
void syncScrollBars(QScrollBar *a, QScrollBar *b, QObject *context) {
    QObject::connect(a, &QScrollBar::valueChanged, context, [b](int value) { b->setValue(value); });
    QObject::connect(b, &QScrollBar::valueChanged, context, [a](int value) { a->setValue(value); });
}

QString number(int line) {
    return line > 0 ? QString::number(line) : QString();
}

} // namespace

DiffView::DiffView(QWidget *parent)
    : QWidget(parent)
    , m_theme(EditorTheme::light())
    , m_stack(new QStackedWidget(this))
    , m_oldHeader(new QLabel(this))
    , m_newHeader(new QLabel(this))
    , m_identical(new QLabel(tr("No differences"), this))
    , m_left(new DiffPane(this))
    , m_right(new DiffPane(this)) {
    auto *panes = new QWidget(this);
    auto *grid = new QGridLayout(panes);
    grid->setContentsMargins(0, 0, 0, 0);
    grid->setSpacing(2);
    grid->addWidget(m_oldHeader, 0, 0);
    grid->addWidget(m_newHeader, 0, 1);
    grid->addWidget(m_left, 1, 0);
    grid->addWidget(m_right, 1, 1);
    m_identical->setAlignment(Qt::AlignCenter);
    m_stack->addWidget(panes);
    m_stack->addWidget(m_identical);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_stack);
    syncScrollBars(m_left->verticalScrollBar(), m_right->verticalScrollBar(), this);
    syncScrollBars(m_left->horizontalScrollBar(), m_right->horizontalScrollBar(), this);
    rebuild();
}

DiffView::~DiffView() = default;

void DiffView::setTexts(const QString &oldText, const QString &newText, const QString &oldName,
                        const QString &newName) {
    m_oldHeader->setText(oldName);
    m_newHeader->setText(newName);
    m_diff = diffTexts(oldText, newText);
    rebuild();
}

void DiffView::setMode(Mode mode) {
    if (mode == m_mode)
        return;
    m_mode = mode;
    rebuild();
}

void DiffView::setTheme(const EditorTheme &theme) {
    m_theme = theme;
    m_left->setTheme(theme);
    m_right->setTheme(theme);
    QPalette p = palette();
    p.setColor(QPalette::WindowText, theme.text);
    m_identical->setPalette(p);
    rebuild();
}

void DiffView::rebuild() {
    m_changeRows.clear();
    if (m_mode == Mode::SideBySide)
        fillSideBySide();
    else
        fillUnified();
    m_right->setVisible(m_mode == Mode::SideBySide);
    m_newHeader->setVisible(m_mode == Mode::SideBySide && !m_newHeader->text().isEmpty());
    m_oldHeader->setVisible(!m_oldHeader->text().isEmpty());
    m_stack->setCurrentIndex(m_diff.identical() ? 1 : 0);
    m_current = -1;
    emit currentChangeChanged(m_current);
}

void DiffView::fillSideBySide() {
    QVector<DiffPane::Row> left;
    QVector<DiffPane::Row> right;
    const auto filler = [this] {
        return DiffPane::Row{QString(), QString(), m_theme.diffFiller, true};
    };
    const QVector<DiffLine> &lines = m_diff.lines;
    for (qsizetype i = 0; i < lines.size();) {
        const DiffLine &line = lines.at(i);
        if (line.kind == DiffKind::Context) {
            left.push_back({line.text, number(line.oldLine), {}, false});
            right.push_back({line.text, number(line.newLine), {}, false});
            ++i;
            continue;
        }
        // A change: removed lines then added ones; they face each other row by row.
        QVector<const DiffLine *> removed;
        QVector<const DiffLine *> added;
        for (; i < lines.size() && lines.at(i).kind != DiffKind::Context; ++i)
            (lines.at(i).kind == DiffKind::Removed ? removed : added).push_back(&lines.at(i));
        m_changeRows.push_back(static_cast<int>(left.size()));
        const qsizetype rows = std::max(removed.size(), added.size());
        for (qsizetype r = 0; r < rows; ++r) {
            const bool both = r < removed.size() && r < added.size();
            if (r < removed.size())
                left.push_back({removed.at(r)->text, number(removed.at(r)->oldLine),
                                both ? m_theme.diffChanged : m_theme.diffRemoved, false});
            else
                left.push_back(filler());
            if (r < added.size())
                right.push_back({added.at(r)->text, number(added.at(r)->newLine),
                                 both ? m_theme.diffChanged : m_theme.diffAdded, false});
            else
                right.push_back(filler());
        }
    }
    m_left->setRows(left);
    m_right->setRows(right);
}

void DiffView::fillUnified() {
    QVector<DiffPane::Row> rows;
    // Both numbers right-aligned in their own columns, then the sign, so that a change reads
    // without its colour too.
    int width = 1;
    for (const DiffLine &line : m_diff.lines)
        width = std::max({width, static_cast<int>(number(line.oldLine).size()),
                          static_cast<int>(number(line.newLine).size())});
    DiffKind previous = DiffKind::Context;
    for (const DiffLine &line : m_diff.lines) {
        if (line.kind != DiffKind::Context && previous == DiffKind::Context)
            m_changeRows.push_back(static_cast<int>(rows.size()));
        previous = line.kind;
        const QChar sign = line.kind == DiffKind::Added     ? QLatin1Char('+')
                           : line.kind == DiffKind::Removed ? QLatin1Char('-')
                                                            : QLatin1Char(' ');
        const QString numbers = number(line.oldLine).rightJustified(width) + QLatin1Char(' ') +
                                number(line.newLine).rightJustified(width) + QLatin1Char(' ') +
                                sign;
        const QColor background = line.kind == DiffKind::Added     ? m_theme.diffAdded
                                  : line.kind == DiffKind::Removed ? m_theme.diffRemoved
                                                                   : QColor();
        rows.push_back({line.text, numbers, background, false});
    }
    m_left->setRows(rows);
    m_right->setRows({});
}

bool DiffView::nextChange() {
    if (m_changeRows.isEmpty())
        return false;
    m_current = (m_current + 1) % changeCount();
    scrollToCurrent();
    return true;
}

bool DiffView::previousChange() {
    if (m_changeRows.isEmpty())
        return false;
    m_current = m_current <= 0 ? changeCount() - 1 : m_current - 1;
    scrollToCurrent();
    return true;
}

void DiffView::scrollToCurrent() {
    const int row = currentRow();
    m_left->showRow(row);
    if (m_mode == Mode::SideBySide)
        m_right->showRow(row);
    emit currentChangeChanged(m_current);
}

int DiffView::currentRow() const {
    return m_current >= 0 ? m_changeRows.at(m_current) : -1;
}

QStringList DiffView::leftRows() const {
    return m_left->rowTexts();
}

QStringList DiffView::rightRows() const {
    return m_mode == Mode::SideBySide ? m_right->rowTexts() : QStringList();
}

} // namespace kd::widgets
