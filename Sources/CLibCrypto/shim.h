// OpenSSL's libcrypto, for SHA-256 only (EVP digests use the CPU's SHA instructions when it
// has them). Debian's libzip already links it; the headers come from libssl-dev.
#include <openssl/evp.h>
