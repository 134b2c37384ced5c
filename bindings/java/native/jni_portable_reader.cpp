// Portable values to Java: nws::portable::decode() gives a Node tree over
// the fetched bytes; this walks it and has PortableReader.java build each
// Java object (its static factories, looked up once by JNI_OnLoad).
// Packed vectors become primitive arrays here with one memcpy each; with
// missing elements, PortableReader boxes them (Double[] with nulls, ...).
#include <climits>
#include <cstdarg>
#include <cstring>
#include <string>

#include "jni_portable.hpp"
#include "jni_util.hpp"
#include "nws/portable.hpp"

namespace nws_jni {
namespace {

using nws::portable::Element;
using nws::portable::Kind;
using nws::portable::Node;

struct Factories {
  jclass cls = nullptr;  // org.networkspaces.PortableReader
  jmethodID boolean, integer, real, string, instant, list, map, table, strings, boxed, instants;
};
Factories g_f;

// Every container's children are made in a local frame of its own: a
// 10-million-element list or 256 levels of nesting never pile up local
// references (which -Xcheck:jni counts).
class LocalFrame {
 public:
  explicit LocalFrame(JNIEnv* env) : env_(env) {
    if (env->PushLocalFrame(8) != 0) throw JavaPending{};
  }
  ~LocalFrame() {
    if (env_) env_->PopLocalFrame(nullptr);
  }
  jobject keep(jobject result) {  // pops the frame, keeping `result`
    JNIEnv* e = env_;
    env_ = nullptr;
    return e->PopLocalFrame(result);
  }

 private:
  JNIEnv* env_;
};

jobject call(JNIEnv* env, jmethodID m, ...) {
  va_list args;
  va_start(args, m);
  jobject r = env->CallStaticObjectMethodV(g_f.cls, m, args);
  va_end(args);
  if (env->ExceptionCheck()) throw JavaPending{};
  return r;
}

jsize java_length(std::size_t n, const std::string& what) {
  if (n > static_cast<std::size_t>(INT_MAX))
    throw nws::Error(nws::Errc::serialisation,
                     what + " of " + std::to_string(n) + " elements is too long for a Java array (at most 2^31 - 1)");
  return static_cast<jsize>(n);
}

// A primitive array of the vector's elements: one copy from the bytes.
template <class Array, Array (JNIEnv::*make)(jsize)>
jobject primitive(JNIEnv* env, const Node& v) {
  const jsize n = java_length(v.count, "a vector of " + std::string(nws::portable::element_name(v.element)));
  Array a = (env->*make)(n);
  if (!a) throw JavaPending{};
  if (n > 0) {
    const Critical c(env, a);
    std::memcpy(c.data(), v.text.data(), v.text.size());
  }
  return a;
}

jobjectArray byte_arrays(JNIEnv* env, std::size_t n, const std::string& what) {
  jobjectArray a = env->NewObjectArray(java_length(n, what), cache().byte_array, nullptr);
  if (!a) throw JavaPending{};
  return a;
}

jobjectArray objects(JNIEnv* env, std::size_t n, const std::string& what) {
  jobjectArray a = env->NewObjectArray(java_length(n, what), cache().object, nullptr);
  if (!a) throw JavaPending{};
  return a;
}

void set(JNIEnv* env, jobjectArray a, std::size_t i, jobject item) {
  env->SetObjectArrayElement(a, static_cast<jsize>(i), item);
  if (item) env->DeleteLocalRef(item);
}

jobject vector(JNIEnv* env, const Node& v) {
  LocalFrame frame(env);
  if (v.element == Element::string) {
    jobjectArray texts = byte_arrays(env, v.items.size(), "a vector of strings");
    for (std::size_t i = 0; i < v.items.size(); ++i)
      set(env, texts, i, v.items[i].kind == Kind::null ? nullptr : to_java(env, v.items[i].text));
    return frame.keep(call(env, g_f.strings, texts));
  }
  jobject data = nullptr;
  switch (v.element) {
    case Element::float64: data = primitive<jdoubleArray, &JNIEnv::NewDoubleArray>(env, v); break;
    case Element::int64:
    case Element::timestamp: data = primitive<jlongArray, &JNIEnv::NewLongArray>(env, v); break;
    case Element::int32: data = primitive<jintArray, &JNIEnv::NewIntArray>(env, v); break;
    case Element::boolean: data = primitive<jbooleanArray, &JNIEnv::NewBooleanArray>(env, v); break;
    case Element::string: break;
  }
  jbyteArray missing = v.missing.empty() ? nullptr : to_java(env, v.missing);
  if (v.element == Element::timestamp) return frame.keep(call(env, g_f.instants, data, missing));
  return frame.keep(missing ? call(env, g_f.boxed, data, missing) : data);
}

jobject value(JNIEnv* env, const Node& n);

// A map's keys and values, or a table's names and columns.
jobject pairs(JNIEnv* env, const Node& n, jmethodID make, const char* what) {
  LocalFrame frame(env);
  jobjectArray keys = byte_arrays(env, n.keys.size(), what);
  jobjectArray values = objects(env, n.items.size(), what);
  for (std::size_t i = 0; i < n.items.size(); ++i) {
    set(env, keys, i, to_java(env, n.keys[i]));
    set(env, values, i, n.kind == Kind::table ? vector(env, n.items[i]) : value(env, n.items[i]));
  }
  return frame.keep(call(env, make, keys, values));
}

jobject value(JNIEnv* env, const Node& n) {
  switch (n.kind) {
    case Kind::null: return nullptr;
    case Kind::boolean: return call(env, g_f.boolean, static_cast<jboolean>(n.flag));
    case Kind::integer: return call(env, g_f.integer, static_cast<jlong>(n.integer));
    case Kind::real: return call(env, g_f.real, static_cast<jdouble>(n.real));
    case Kind::timestamp: return call(env, g_f.instant, static_cast<jlong>(n.integer));
    case Kind::bytes: return to_java(env, n.text);
    case Kind::string: {
      LocalFrame frame(env);
      return frame.keep(call(env, g_f.string, to_java(env, n.text)));
    }
    case Kind::list: {
      LocalFrame frame(env);
      jobjectArray items = objects(env, n.items.size(), "a list");
      for (std::size_t i = 0; i < n.items.size(); ++i) set(env, items, i, value(env, n.items[i]));
      return frame.keep(call(env, g_f.list, items));
    }
    case Kind::map: return pairs(env, n, g_f.map, "a map");
    case Kind::table: return pairs(env, n, g_f.table, "a table");
    case Kind::vector: return vector(env, n);
  }
  throw nws::Error(nws::Errc::serialisation, "a portable value of an unknown kind");
}

}  // namespace

bool init_portable_reader(JNIEnv* env) {
  jclass local = env->FindClass("org/networkspaces/PortableReader");
  if (!local) return false;
  g_f.cls = static_cast<jclass>(env->NewGlobalRef(local));
  env->DeleteLocalRef(local);
  struct {
    jmethodID* id;
    const char* name;
    const char* signature;
  } methods[] = {
      {&g_f.boolean, "bool", "(Z)Ljava/lang/Object;"},
      {&g_f.integer, "integer", "(J)Ljava/lang/Object;"},
      {&g_f.real, "real", "(D)Ljava/lang/Object;"},
      {&g_f.string, "string", "([B)Ljava/lang/Object;"},
      {&g_f.instant, "instant", "(J)Ljava/lang/Object;"},
      {&g_f.list, "list", "([Ljava/lang/Object;)Ljava/lang/Object;"},
      {&g_f.map, "map", "([[B[Ljava/lang/Object;)Ljava/lang/Object;"},
      {&g_f.table, "table", "([[B[Ljava/lang/Object;)Ljava/lang/Object;"},
      {&g_f.strings, "strings", "([[B)Ljava/lang/Object;"},
      {&g_f.boxed, "boxed", "(Ljava/lang/Object;[B)Ljava/lang/Object;"},
      {&g_f.instants, "instants", "([J[B)Ljava/lang/Object;"},
  };
  for (auto& m : methods) {
    *m.id = env->GetStaticMethodID(g_f.cls, m.name, m.signature);
    if (!*m.id) return false;
  }
  return true;
}

jobject portable_to_java(JNIEnv* env, std::string_view bytes) {
  const Node root = nws::portable::decode(bytes);
  return value(env, root);
}

}  // namespace nws_jni

// The Java value of portable bytes (Portable.decode).
extern "C" JNIEXPORT jobject JNICALL Java_org_networkspaces_Native_portableDecode(JNIEnv* env, jclass,
                                                                                jbyteArray bytes) {
  using namespace nws_jni;
  return guarded(env, jobject{}, [&] {
    if (!bytes) throw nws::Error(nws::Errc::invalid_argument, "the portable bytes are missing (null)");
    std::string copy;
    {
      const Critical c(env, bytes);  // no JNI call while it is held: copy, then decode
      copy.assign(c.bytes());
    }
    return portable_to_java(env, copy);
  });
}
