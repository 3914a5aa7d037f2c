#pragma once
// The kinds the resource browser shows and, per kind, the columns users expect (kubectl's plus
// GPU requests), computed from the cached object on demand.

#include "kube/kubeobject.h"

#include <QDateTime>
#include <QString>
#include <QVariant>

#include <functional>
#include <vector>

namespace kd::model {

struct Column {
    QString title;
    // The text shown in the cell.
    std::function<QString(const kube::Json &object, const QDateTime &now)> text;
    // What the column sorts by when it is not the text (numbers, ages); may be empty.
    std::function<QVariant(const kube::Json &object, const QDateTime &now)> sortKey;
    bool changesWithTime = false; // ages: refreshed by the model's clock
};

struct BrowsedKind {
    kube::ResourceKind kind;
    QString title;               // "Deployments"
    QString category;            // "Workloads", "Network", "Autoscaling", "Cluster"
    std::vector<Column> columns; // after Name (and Namespace for namespaced kinds)
};

// Every kind the browser offers, in display order.
const std::vector<BrowsedKind> &browsedKinds();
// The entry for a kind key ("deployments.apps"), or nullptr.
const BrowsedKind *browsedKind(const QString &kindKey);
// The resource kinds a session lists and watches for the browser and the panes.
std::vector<kube::ResourceKind> watchedKinds();

} // namespace kd::model
