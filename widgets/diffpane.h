#pragma once
// One column of DiffView: read-only text whose rows carry their own line numbers (or none, for
// filler) and background colours.

#include "widgets/editortheme.h"

#include <QPlainTextEdit>
#include <QVector>

namespace kd::widgets {

class DiffPane final : public QPlainTextEdit {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(DiffPane)

public:
    struct Row {
        QString text;
        QString number;      // what the gutter shows: "12", "12 13" (unified), "" for filler
        QColor background;   // invalid: the theme's background
        bool filler = false; // a line that exists on the other side only
    };

    explicit DiffPane(QWidget *parent = nullptr);
    ~DiffPane() override;

    void setRows(const QVector<Row> &rows);
    void setTheme(const EditorTheme &theme);
    QStringList rowTexts() const;
    // Scrolls so that `row` is a few rows below the top and puts the cursor on it.
    void showRow(int row);
    int gutterWidth() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    friend class DiffPaneGutter;
    void paintGutter(QPaintEvent *event);
    void updateGutterGeometry();

    QWidget *m_gutter;
    EditorTheme m_theme;
    QVector<Row> m_rows;
    int m_numberChars = 1;
};

} // namespace kd::widgets
