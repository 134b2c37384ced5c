// What one load-generator run reports: a flat JSON object on one stdout line,
// read by bench/driver.py.
#pragma once

#include <string>
#include <utility>
#include <vector>

namespace bench {

class Results {
 public:
  void set(const std::string& key, double value) { numbers_.emplace_back(key, value); }
  void note(const std::string& key, const std::string& text) { texts_.emplace_back(key, text); }
  std::string json() const;

 private:
  std::vector<std::pair<std::string, double>> numbers_;
  std::vector<std::pair<std::string, std::string>> texts_;
};

}  // namespace bench
