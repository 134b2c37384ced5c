// Portable values (docs/values.md) between Java and the core's
// nws::portable.  Writing: PortableWriter.java walks the Java value and
// calls one Native.pw* entry point per item (jni_portable_writer.cpp);
// reading: the retrieve entry points decode a portable value straight from
// the fetched bytes into Java objects (jni_portable_reader.cpp), so a packed
// vector is copied once each way, between the Java array and the value.
#pragma once

#include <jni.h>

#include <cstddef>
#include <string_view>

#include "jni_util.hpp"

namespace nws_jni {

// A primitive array's elements in place (GetPrimitiveArrayCritical): the
// one copy of a packed vector is a memcpy to or from here.  No JNI call may
// be made while one is alive (the JVM may have paused its collector).
class Critical {
 public:
  Critical(JNIEnv* env, jarray array) : env_(env), array_(array) {
    size_ = static_cast<std::size_t>(env->GetArrayLength(array));
    data_ = env->GetPrimitiveArrayCritical(array, nullptr);
    if (!data_) throw JavaPending{};  // OutOfMemoryError pending
  }
  ~Critical() { env_->ReleasePrimitiveArrayCritical(array_, data_, 0); }
  Critical(const Critical&) = delete;
  Critical& operator=(const Critical&) = delete;

  void* data() const { return data_; }
  std::size_t length() const { return size_; }  // in elements
  // A byte[]'s contents.
  std::string_view bytes() const { return {static_cast<const char*>(data_), size_}; }

 private:
  JNIEnv* env_;
  jarray array_;
  void* data_;
  std::size_t size_;
};

// Looks up PortableReader's factories (JNI_OnLoad); false if one is missing.
bool init_portable_reader(JNIEnv* env);

// The Java value of a portable value (PortableReader builds the objects).
// A value Java cannot hold (an array longer than 2^31 - 1) or bytes that do
// not decode are Error(Errc::serialisation) saying why.
jobject portable_to_java(JNIEnv* env, std::string_view bytes);

}  // namespace nws_jni
