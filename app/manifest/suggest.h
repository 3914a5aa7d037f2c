#pragma once
// "Did you mean": the candidate closest to a mistyped word (a field name, an enum value, a rule
// ID, a kind). Used for unknown fields, enum values and .kubedeck-lint.yaml keys alike.

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace kd::manifest {

// Optimal-string-alignment Damerau–Levenshtein distance: insertions, deletions, substitutions
// and transpositions of two neighbouring characters each cost 1. Compares bytes.
std::size_t editDistance(std::string_view a, std::string_view b);

// Collects candidates one at a time and keeps the best: a case-insensitive exact match wins
// ("always" -> "Always"), else the smallest edit distance within a bound that grows with the
// word's length (1 for short words, a third of the length for long ones). Ties keep the first.
class Suggester final {
public:
    explicit Suggester(std::string_view word);

    void consider(std::string_view candidate);
    // The best candidate, "" when none is close enough.
    const std::string &best() const { return m_best; }

private:
    std::string m_word;
    std::string m_lowerWord;
    std::string m_best;
    std::size_t m_bestDistance;
    bool m_caseMatch = false;
};

// The closest candidate, "" when none is close enough.
template<typename Range> std::string suggest(std::string_view word, const Range &candidates) {
    Suggester s(word);
    for (const auto &candidate : candidates)
        s.consider(candidate);
    return s.best();
}

// "did you mean `replicas`?" for a message, "" when there is no suggestion.
std::string didYouMean(std::string_view suggestion);

} // namespace kd::manifest
