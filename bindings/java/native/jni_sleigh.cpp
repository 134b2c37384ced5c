// The sleigh entry points' shared conversions (jni_sleigh.hpp).
#include "jni_sleigh.hpp"

namespace nws_jni {

std::vector<std::string> strings_of(JNIEnv* env, jobjectArray a) {
  std::vector<std::string> out;
  if (!a) return out;
  const jsize n = env->GetArrayLength(a);
  out.reserve(static_cast<std::size_t>(n));
  for (jsize i = 0; i < n; ++i) {
    auto item = static_cast<jbyteArray>(env->GetObjectArrayElement(a, i));
    out.push_back(optional_bytes(env, item).value_or(std::string()));
    env->DeleteLocalRef(item);
  }
  return out;
}

jobjectArray strings_to_java(JNIEnv* env, const std::vector<std::string>& items) {
  jobjectArray out = env->NewObjectArray(static_cast<jsize>(items.size()), cache().byte_array, nullptr);
  if (!out) throw JavaPending{};
  for (std::size_t i = 0; i < items.size(); ++i) {
    jbyteArray b = to_java(env, items[i]);
    env->SetObjectArrayElement(out, static_cast<jsize>(i), b);
    env->DeleteLocalRef(b);
  }
  return out;
}

std::string required_bytes(JNIEnv* env, jbyteArray a, const char* what) {
  std::optional<std::string> s = optional_bytes(env, a);
  if (!s) throw nws::Error(nws::Errc::invalid_argument, std::string(what) + " is missing (null)");
  return *s;
}

}  // namespace nws_jni
