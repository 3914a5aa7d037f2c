#pragma once
// Two versions of a text compared line by line, side by side (old left, new right, changed lines
// facing each other, filler where a side has no line) or unified (one column, removed lines
// above added ones). Each side numbers its own lines; removed, added and changed lines are
// coloured from the theme. When the texts are equal it says so instead. Next/previous change
// scroll both sides to the next block of changes.

#include "widgets/editortheme.h"
#include "widgets/textdiff.h"

#include <QWidget>

class QLabel;
class QStackedWidget;

namespace kd::widgets {

class DiffPane;

class DiffView final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiffView)

public:
    enum class Mode { SideBySide, Unified };

    explicit DiffView(QWidget *parent = nullptr);
    ~DiffView() override;

    // Shows the difference of the two texts; the names head the two sides ("live", "edited").
    void setTexts(const QString &oldText, const QString &newText, const QString &oldName = {},
                  const QString &newName = {});
    void setMode(Mode mode);
    Mode mode() const { return m_mode; }
    void setTheme(const EditorTheme &theme);

    const LineDiff &diff() const { return m_diff; }
    bool hasDifferences() const { return !m_diff.identical(); }
    // Blocks of consecutive changed lines; navigation steps through them.
    int changeCount() const { return static_cast<int>(m_changeRows.size()); }
    // The block last navigated to, or -1.
    int currentChange() const { return m_current; }
    // Steps to the next (previous) block and scrolls to it; wraps around. False without changes.
    bool nextChange();
    bool previousChange();

    // The shown rows, for tests: in side-by-side mode the old (left) and new (right) columns, in
    // unified mode the single column is `left`. Each row's text, or "" for filler.
    QStringList leftRows() const;
    QStringList rightRows() const;
    // The row (0-based) the current change starts at in the shown column(s).
    int currentRow() const;

signals:
    void currentChangeChanged(int index);

private:
    void rebuild();
    void fillSideBySide();
    void fillUnified();
    void scrollToCurrent();

    Mode m_mode = Mode::SideBySide;
    EditorTheme m_theme;
    LineDiff m_diff;
    QVector<int> m_changeRows; // first row of each block of changes in the shown rows
    int m_current = -1;
    QStackedWidget *m_stack;
    QLabel *m_oldHeader;
    QLabel *m_newHeader;
    QLabel *m_identical;
    DiffPane *m_left;
    DiffPane *m_right;
};

} // namespace kd::widgets
