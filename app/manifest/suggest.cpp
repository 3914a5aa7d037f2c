#include "manifest/suggest.h"

#include <algorithm>

namespace kd::manifest {

namespace {

char lowerAscii(char c) {
    return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c;
}

std::string lowerCopy(std::string_view s) {
    std::string out(s);
    std::transform(out.begin(), out.end(), out.begin(), lowerAscii);
    return out;
}

bool equalsIgnoringCase(std::string_view lowerWord, std::string_view candidate) {
    return lowerWord.size() == candidate.size() &&
           std::equal(lowerWord.begin(), lowerWord.end(), candidate.begin(),
                      [](char a, char b) { return a == lowerAscii(b); });
}

// A typo'd word of a few letters is as close to many unrelated words as to the intended one,
// so the tolerance grows only with length.
std::size_t maxDistance(std::size_t length) {
    return std::max<std::size_t>(1, length / 3);
}

} // namespace

std::size_t editDistance(std::string_view a, std::string_view b) {
    // Three rolling rows: the transposition step looks two rows back.
    const std::size_t n = b.size();
    std::vector<std::size_t> prev2(n + 1), prev(n + 1), cur(n + 1);
    for (std::size_t j = 0; j <= n; ++j)
        prev[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        cur[0] = i;
        for (std::size_t j = 1; j <= n; ++j) {
            const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost});
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[n];
}

Suggester::Suggester(std::string_view word)
    : m_word(word)
    , m_lowerWord(lowerCopy(word))
    , m_bestDistance(maxDistance(word.size()) + 1) {}

void Suggester::consider(std::string_view candidate) {
    if (m_caseMatch || candidate == m_word || candidate.empty())
        return;
    if (equalsIgnoringCase(m_lowerWord, candidate)) {
        m_best = std::string(candidate);
        m_caseMatch = true;
        return;
    }
    // The distance is at least the difference in length: skip hopeless candidates cheaply.
    const std::size_t lengthGap = candidate.size() > m_word.size()
                                      ? candidate.size() - m_word.size()
                                      : m_word.size() - candidate.size();
    if (lengthGap >= m_bestDistance)
        return;
    const std::size_t distance = editDistance(m_lowerWord, lowerCopy(candidate));
    if (distance < m_bestDistance) {
        m_bestDistance = distance;
        m_best = std::string(candidate);
    }
}

std::string didYouMean(std::string_view suggestion) {
    if (suggestion.empty())
        return {};
    return "did you mean `" + std::string(suggestion) + "`?";
}

} // namespace kd::manifest
