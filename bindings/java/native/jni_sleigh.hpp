// The sleigh's JNI entry points (org.networkspaces.sleigh.SleighNative):
// the master and its launch (jni_sleigh_master.cpp), portable jobs
// (jni_sleigh_job.cpp) and the worker (jni_sleigh_worker.cpp), over the
// core's nws/sleigh.hpp and nws/sleigh_tasks.hpp.  Java serialises values
// and resolves functions; everything else is the core's.
#pragma once

#include <jni.h>

#include <string>
#include <vector>

#include "jni_util.hpp"
#include "nws/sleigh_tasks.hpp"

namespace nws_jni {

// byte[][] (UTF-8 texts or bytes) as strings; null is an empty list.
std::vector<std::string> strings_of(JNIEnv* env, jobjectArray a);
// strings as byte[][].
jobjectArray strings_to_java(JNIEnv* env, const std::vector<std::string>& items);
// A required byte[] (null: Errc::invalid_argument naming `what`).
std::string required_bytes(JNIEnv* env, jbyteArray a, const char* what);

}  // namespace nws_jni
