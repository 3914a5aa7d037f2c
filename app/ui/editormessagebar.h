#pragma once
// The line above the YAML editor that says how the last action went: saved, applied, refused by
// the server, a file that could not be read. It never takes the user's text away; an action the
// message offers (Force apply, Retry) is a button on the bar.

#include <QFrame>

#include <functional>

class QHBoxLayout;
class QLabel;
class QPushButton;

namespace kd::ui {

class EditorMessageBar final : public QFrame {
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(EditorMessageBar)

public:
    enum class Kind { Info, Success, Warning, Error };

    explicit EditorMessageBar(QWidget *parent = nullptr);

    // Shows `text` (plain; several lines allowed) and drops the previous message's buttons.
    void showMessage(Kind kind, const QString &text);
    // Adds a button to the message shown; it goes away with that message.
    QPushButton *addButton(const QString &text, const QString &objectName,
                           std::function<void()> onClick);
    void clearMessage();

    Kind kind() const { return m_kind; }
    QString text() const;

private:
    void dropButtons();

    Kind m_kind = Kind::Info;
    QLabel *m_text;
    QHBoxLayout *m_buttons;
    QPushButton *m_close;
};

} // namespace kd::ui
