"""The jwcrypto side of tessera's JWE interop tests (test/interop/jwe-jwcrypto.test.ts).

One invocation per direction, JSON on stdin, JSON on stdout:

  jwcrypto_jwe_peer.py produce   generate jwcrypto keys; encrypt to tessera's keys (compact,
                                 flattened, one general JWE per enc) and to its own; probe what
                                 jwcrypto supports
  jwcrypto_jwe_peer.py decrypt   decrypt JWEs tessera made; report each outcome, never stop early

A key is a JWK object, or a string: a PBES2 password, which jwcrypto takes as an oct JWK whose
"k" is the password's bytes. Run with /usr/bin/python3 (python3-jwcrypto from Debian). An
unexpected failure exits non-zero with a traceback on stderr; a JWE that does not decrypt is an
outcome, not a failure.
"""
import base64
import importlib.metadata
import json
import sys

from jwcrypto import jwe, jwk

# jwcrypto encrypts PBES2 with this fixed p2c (jwcrypto/jwa.py, _Pbes2HsAesKw.wrap).
PBES2_COUNT = 8192


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def as_key(key):
    if isinstance(key, str):
        return jwk.JWK(kty='oct', k=b64u(key.encode('utf-8')))
    return jwk.JWK(**key)


def generate(spec, password):
    """(key object, private as sent to tessera, public as sent to tessera)."""
    if spec['kty'] == 'password':
        return as_key(password), password, password
    if spec['kty'] in ('oct', 'RSA'):
        key = jwk.JWK.generate(kty=spec['kty'], size=spec['bits'])
    else:
        key = jwk.JWK.generate(kty=spec['kty'], crv=spec['crv'])
    private = json.loads(key.export_private() if key.has_private else key.export())
    if key['kty'] == 'oct':
        return key, private, private
    return key, private, json.loads(key.export_public())


def encrypt(plaintext, key, alg, enc, compact=True):
    token = jwe.JWE(plaintext.encode('utf-8'), protected=json.dumps({'alg': alg, 'enc': enc}))
    token.add_recipient(key)
    return token.serialize(compact=compact)


def decrypt(token, key):
    obj = jwe.JWE()
    obj.deserialize(token, key)
    return obj.payload


def supports(case):
    """True when jwcrypto itself can encrypt and decrypt this case: alg and enc known, curve implemented."""
    try:
        key, _, _ = generate(case['key'], 'probe-password-0123456789')
        return decrypt(encrypt('probe', key, case['alg'], case['enc']), key) == b'probe'
    except Exception:  # noqa: BLE001 - any failure means "not supported" for the probe
        return False


def produce(request):
    supported = [c['id'] for c in request['probe'] if supports(c)]
    results = []
    tessera_keys = {}
    algs = {}
    for case in request['cases']:
        own, private, public = generate(case['key'], case.get('peerPassword'))
        to_tessera = as_key(case['encryptTo'])
        tessera_keys[case['id']] = to_tessera
        algs[case['id']] = case['alg']
        results.append({
            'id': case['id'],
            'private': private,
            'public': public,
            'compact': encrypt(case['toTessera'], to_tessera, case['alg'], case['enc']),
            # One recipient: jwcrypto writes the flattened JSON serialization.
            'flattened': json.loads(encrypt(case['toTessera'], to_tessera, case['alg'], case['enc'], compact=False)),
            'selfCompact': encrypt(case['toSelf'], own, case['alg'], case['enc']),
        })
    general = {}
    for group in request['groups']:
        token = jwe.JWE(group['plaintext'].encode('utf-8'), protected=json.dumps({'enc': group['enc']}))
        for case_id in group['ids']:
            token.add_recipient(tessera_keys[case_id], header=json.dumps({'alg': algs[case_id]}))
        general[group['enc']] = json.loads(token.serialize())
    return {
        'jwcrypto': importlib.metadata.version('jwcrypto'),
        'supported': supported,
        'results': results,
        'general': general,
    }


def decrypt_all(request):
    results = []
    for case in request['cases']:
        try:
            plaintext = decrypt(case['token'], as_key(case['key']))
            results.append({'id': case['id'], 'ok': True, 'plaintext': b64u(plaintext)})
        except Exception as err:  # noqa: BLE001 - the outcome is reported, the caller asserts it
            results.append({'id': case['id'], 'ok': False, 'error': type(err).__name__})
    return {'results': results}


def main():
    ops = {'produce': produce, 'decrypt': decrypt_all}
    if len(sys.argv) != 2 or sys.argv[1] not in ops:
        sys.exit('usage: jwcrypto_jwe_peer.py produce|decrypt < request.json')
    json.dump(ops[sys.argv[1]](json.load(sys.stdin)), sys.stdout)


if __name__ == '__main__':
    main()
