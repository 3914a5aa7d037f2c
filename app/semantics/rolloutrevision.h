#pragma once
// Revision numbers of a Deployment's ReplicaSets (deployment.kubernetes.io/revision) and the
// rollback target choice of `kubectl rollout undo`.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace kd::semantics {

inline constexpr const char *kRevisionAnnotation = "deployment.kubernetes.io/revision";
inline constexpr const char *kRevisionHistoryAnnotation =
    "deployment.kubernetes.io/revision-history";
inline constexpr const char *kDesiredReplicasAnnotation =
    "deployment.kubernetes.io/desired-replicas";
inline constexpr const char *kMaxReplicasAnnotation = "deployment.kubernetes.io/max-replicas";
inline constexpr const char *kChangeCauseAnnotation = "kubernetes.io/change-cause";
inline constexpr const char *kPodTemplateHashLabel = "pod-template-hash";
// Upstream caps revision-history at this many characters.
inline constexpr std::size_t kMaxRevisionHistoryChars = 2000;

// A revision annotation: "" means 0; nullopt when it is not a base-10 integer.
std::optional<long long> parseRevision(std::string_view text);
// max + 1 over the revisions given (1 for none).
long long nextRevision(const std::vector<long long> &revisions);

struct RevisionUpdate {
    std::string revision; // the annotation's new value
    std::string history;  // revision-history's new value ("" = absent)
    bool changed = false;
};
// SetNewReplicaSetAnnotations' revision part: a ReplicaSet that becomes the new one again gets
// `newRevision` and its old number is appended to revision-history (oldest entries dropped past
// `limitChars`). `current` is the RS's revision annotation (nullopt when absent).
RevisionUpdate updateRevision(const std::optional<std::string> &current, const std::string &history,
                              long long newRevision,
                              std::size_t limitChars = kMaxRevisionHistoryChars);

struct RollbackChoice {
    std::optional<std::size_t> index; // into the revisions given
    std::string error;                // kubectl's message when there is no target
};
// kubectl rollout undo: toRevision 0 picks the second-highest revision. `revisions` holds each
// ReplicaSet's parsed revision (nullopt for unparsable ones, which are skipped).
RollbackChoice chooseRollbackRevision(const std::vector<std::optional<long long>> &revisions,
                                      long long toRevision, const std::string &deploymentName);

} // namespace kd::semantics
