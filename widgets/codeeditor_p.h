#pragma once
// CodeEditor's helper widgets: the gutter beside the text and the completion popup.

#include "widgets/codeeditor.h"

#include <QTreeWidget>
#include <QWidget>

namespace kd::widgets {

// Line numbers and diagnostic icons; CodeEditor paints it and answers its clicks and tooltips.
class CodeEditorGutter final : public QWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CodeEditorGutter)

public:
    explicit CodeEditorGutter(CodeEditor *editor);
    ~CodeEditorGutter() override;
    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    bool event(QEvent *event) override;

private:
    CodeEditor *m_editor;
};

// A list under the cursor that never takes the keyboard focus: the editor keeps it and steers
// the list (Up/Down, Enter, Escape), so typing on narrows the list without a focus dance.
class CompletionPopup final : public QTreeWidget {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(CompletionPopup)

public:
    explicit CompletionPopup(CodeEditor *editor);
    ~CompletionPopup() override;

    void setItems(const CompletionList &items);
    const CompletionList &items() const { return m_items; }
    // The highlighted item, or nullptr when the list is empty.
    const CompletionItem *currentCompletion() const;
    void moveCurrent(int delta);
    // Shows the list with its top left corner at `globalPos`, sized to its rows.
    void popupAt(const QPoint &globalPos);

private:
    CodeEditor *m_editor;
    CompletionList m_items;
};

} // namespace kd::widgets
