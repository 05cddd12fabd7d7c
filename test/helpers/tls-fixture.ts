// A self-signed, test-only key pair (CN=localhost, valid to 2126) for the smpps tests.
// self-signed test-only key pair for the smpps test (validity is not checked by the test client)
export const TLS_KEY = `-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzN/KbS2Rtv1b//z2
gxN8V1WlH/3kC+MnOrZOmob+LEGhRANCAAQIqHWwj44q9dQm9/qNHNsogkZbqeaL
yup8W+x5dGXnrYp3Xs8G68utduFzJcpY2BXw10Q+8qLaW58vtZiI7cec
-----END PRIVATE KEY-----
`;
export const TLS_CERT = `-----BEGIN CERTIFICATE-----
MIIBfzCCASWgAwIBAgIUYKL60uhif7+hiWNVFRyYw3DgGe0wCgYIKoZIzj0EAwIw
FDESMBAGA1UEAwwJbG9jYWxob3N0MCAXDTI2MTEyMTExMjc1NFoYDzIxMjYxMDI4
MTEyNzU0WjAUMRIwEAYDVQQDDAlsb2NhbGhvc3QwWTATBgcqhkjOPQIBBggqhkjO
PQMBBwNCAAQIqHWwj44q9dQm9/qNHNsogkZbqeaLyup8W+x5dGXnrYp3Xs8G68ut
duFzJcpY2BXw10Q+8qLaW58vtZiI7ceco1MwUTAdBgNVHQ4EFgQUc0R5ts/p39Wv
SYpIzA/Y/SQ5On0wHwYDVR0jBBgwFoAUc0R5ts/p39WvSYpIzA/Y/SQ5On0wDwYD
VR0TAQH/BAUwAwEB/zAKBggqhkjOPQQDAgNIADBFAiAOuwSk3bCkNqr9qEuTNS3T
quI5Sl6vdxHSqP4R92PoJwIhAP6xMpjQ9rGlJyIlLa3fZTdybllaz+WFXFrzysKT
ZhN3
-----END CERTIFICATE-----
`;
