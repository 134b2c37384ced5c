// The C++ "host language" of these tests: a function is a word ("square",
// "sleep:<ms>", "fail:<n>"), a chunk's payload is its numbers separated by
// commas, and so is its outcome.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "nws/sleigh.hpp"

namespace sleigh_test {

std::string numbers(const std::vector<long>& v);
std::vector<long> parse_numbers(std::string_view s);
nws::sleigh::TaskOutcome run(const nws::sleigh::TaskRun& t);
// This program as a worker, when started by a sleigh (see main.cpp).
int worker_main();
// The path of this program, for the launcher.
std::string self_path();

}  // namespace sleigh_test
