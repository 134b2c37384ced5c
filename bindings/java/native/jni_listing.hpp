// Listings for Java: the server's text and its rows, from one round trip
// (org.networkspaces.VarListing / WsListing, built by Native.listing).
#pragma once

#include <jni.h>

#include "nws/client.hpp"

namespace nws_jni {

jobject to_java(JNIEnv* env, const nws::VarListing& listing);
jobject to_java(JNIEnv* env, const nws::WsListing& listing);

}  // namespace nws_jni
