#pragma once

#include <QByteArray>
#include <QStringList>

namespace kd::model {
class GpuLedger;
}

namespace kd::cli {

// `kubedeck gpus`: lists nodes, pods, ReplicaSets and events of every namespace once (no watch)
// from the cluster of a kubeconfig context and prints model::GpuLedger: who holds which GPUs per
// node and resource, the pools' totals and fragmentation, and the Pending GPU pods with the
// scheduler's message and the ledger's explanation. Exit codes: 0 printed, 1 the cluster or
// kubeconfig failed (message on stderr), 2 usage errors.
// `arguments` starts with the program and command name, as QCommandLineParser expects.
int runGpus(const QStringList &arguments);

// The ledger as aligned text columns, kubectl style: a row per node and GPU resource (NODE, POOL,
// PRODUCT, RESOURCE, USED/ALLOC, FREE, STATE, PODS), a row per pool and resource with its
// fragmentation, then every Pending GPU pod with owner, request, explanation and the
// scheduler's message.
QByteArray gpuLedgerTable(const model::GpuLedger &ledger);

// The ledger as JSON; counts are numbers, absent texts are "".
// {"poolLabel": string|null,
//  "nodes": [{"name", "pool", "product", "memoryMiB", "gpuCount", "migStrategy", "ready",
//             "cordoned", "taints": [string],
//             "resources": [{"resource", "capacity", "allocatable", "used", "free",
//                            "holders": [{"namespace", "pod", "ownerKind", "ownerName",
//                                         "units"}]}]}],
//  "pools": [{"pool", "product", "resource", "nodes", "allocatable", "used", "free",
//             "freeSchedulable", "largestFreeBlock", "largestFreeNode", "fragmented",
//             "fragmentation"}],
//  "pending": [{"namespace", "pod", "ownerKind", "ownerName", "resource", "units",
//               "schedulerMessage", "explanation", "fitsNow", "fitsOn"}]}
// In the ledger's order: nodes by pool and name, pools by pool and resource, pending pods by
// namespace and name.
QByteArray gpuLedgerJson(const model::GpuLedger &ledger);

} // namespace kd::cli
