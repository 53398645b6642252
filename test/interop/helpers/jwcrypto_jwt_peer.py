"""The jwcrypto side of tessera's JWT interop tests (test/interop/jwt-jwcrypto.test.ts).

One invocation per direction, JSON on stdin, JSON on stdout:

  jwcrypto_jwt_peer.py produce   generate jwcrypto keys; issue each requested claims set with
                                 jwcrypto's JWT API (make_signed_token, make_encrypted_token, and
                                 both for a nested JWT), encrypting to tessera's keys
  jwcrypto_jwt_peer.py verify    validate tokens tessera made with jwt.JWT(jwt=..., key=...,
                                 check_claims=...); report each outcome, never stop early

jwcrypto 1.1 checks iss, aud and exp through check_claims (exp with its default 60 s leeway);
it has no check of the `typ` header (its check_claims "typ" is a claim), so the header's `typ` is
compared here, normalized the way jwcrypto's own JWT.norm_typ does (RFC 7515 §4.1.9). A nested
JWT is decrypted with check_claims=False (its plaintext is a JWS, not a claims set), its `cty`
checked, and the inner JWS validated as a JWT.

Run with /usr/bin/python3 (python3-jwcrypto from Debian). An unexpected failure exits non-zero
with a traceback on stderr; a token that does not validate is an outcome, not a failure.
"""
import importlib.metadata
import json
import re
import sys

from jwcrypto import jwk, jwt


def generate(spec):
    if spec['kty'] in ('oct', 'RSA'):
        return jwk.JWK.generate(kty=spec['kty'], size=spec['bits'])
    return jwk.JWK.generate(kty=spec['kty'], crv=spec['crv'])


def public_of(key):
    """What a verifier or a sender gets: the public JWK, or the secret itself."""
    if key['kty'] == 'oct':
        return json.loads(key.export())
    return json.loads(key.export_public())


def private_of(key):
    return json.loads(key.export_private() if key['kty'] != 'oct' else key.export())


def signed(claims, key, alg, typ):
    token = jwt.JWT(header={'alg': alg, 'typ': typ}, claims=claims)
    token.make_signed_token(key)
    return token.serialize()


def encrypted(plaintext, key, header):
    token = jwt.JWT(header=header, claims=plaintext)
    token.make_encrypted_token(key)
    return token.serialize()


def produce_case(case):
    c = case['case']
    out = {'id': c['id'], 'tokens': {}}
    sign_key = enc_to = None
    if 'sign' in c:
        sign_key = generate(c['sign']['key'])
        out['signPublic'] = public_of(sign_key)
    if 'encrypt' in c:
        own = generate(c['encrypt']['key'])
        out['encryptPrivate'] = private_of(own)
        out['encryptPublic'] = public_of(own)
        enc_to = jwk.JWK(**case['encryptTo'])
    for t in case['tokens']:
        claims = t['claims']
        if c['kind'] == 'signed':
            token = signed(claims, sign_key, c['sign']['alg'], t['typ'])
        elif c['kind'] == 'encrypted':
            header = {'alg': c['encrypt']['alg'], 'enc': c['encrypt']['enc'], 'typ': t['typ']}
            token = encrypted(claims, enc_to, header)
        else:
            inner = signed(claims, sign_key, c['sign']['alg'], t['typ'])
            # RFC 7519 §5.2: cty "JWT"; §5.3: iss replicated into the JWE header.
            header = {'alg': c['encrypt']['alg'], 'enc': c['encrypt']['enc'], 'cty': 'JWT', 'iss': claims['iss']}
            token = encrypted(inner, enc_to, header)
        out['tokens'][t['scenario']] = token
    return out


def produce(request):
    return {
        'jwcrypto': importlib.metadata.version('jwcrypto'),
        'results': [produce_case(case) for case in request['cases']],
    }


class TypMismatch(jwt.JWTInvalidClaimValue):
    """The `typ` header is not the one required (jwcrypto has no check of its own)."""


def check_typ(header, expected):
    if expected is None:
        return
    norm = jwt.JWT().norm_typ
    typ = json.loads(header).get('typ')
    if not isinstance(typ, str) or norm(typ) != norm(expected):
        raise TypMismatch("Invalid 'typ' value")


def validate(token, key, algs, expect):
    """jwcrypto validates the JWT: signature or decryption (algs pinned), iss, aud, exp present and not past."""
    check = {'iss': expect['issuer'], 'aud': expect['audience'], 'exp': None}
    t = jwt.JWT(jwt=token, key=key, algs=algs, check_claims=check)
    check_typ(t.header, expect.get('typ'))
    return t.claims


def verify_one(item):
    c = item['case']
    expect = item['expect']
    if c['kind'] == 'signed':
        return validate(item['token'], jwk.JWK(**item['verifyWith']), [c['sign']['alg']], expect)
    enc = c['encrypt']
    dkey = jwk.JWK(**item['decryptWith'])
    if c['kind'] == 'encrypted':
        return validate(item['token'], dkey, [enc['alg'], enc['enc']], expect)
    outer = jwt.JWT(jwt=item['token'], key=dkey, algs=[enc['alg'], enc['enc']], check_claims=False)
    cty = json.loads(outer.header).get('cty')
    if not isinstance(cty, str) or outer.norm_typ(cty) != 'application/jwt':
        raise ValueError('not a nested JWT')
    return validate(outer.claims, jwk.JWK(**item['verifyWith']), [c['sign']['alg']], expect)


CLAIM = re.compile(r"Invalid '(\w+)' value")


def error_name(err):
    m = CLAIM.search(str(err))
    return type(err).__name__ + (':' + m.group(1) if m else '')


def verify(request):
    results = []
    for item in request['cases']:
        try:
            results.append({'id': item['id'], 'ok': True, 'claims': verify_one(item)})
        except Exception as err:  # noqa: BLE001 - the outcome is reported, the caller asserts it
            results.append({'id': item['id'], 'ok': False, 'error': error_name(err)})
    return {'results': results}


def main():
    ops = {'produce': produce, 'verify': verify}
    if len(sys.argv) != 2 or sys.argv[1] not in ops:
        sys.exit('usage: jwcrypto_jwt_peer.py produce|verify < request.json')
    json.dump(ops[sys.argv[1]](json.load(sys.stdin)), sys.stdout)


if __name__ == '__main__':
    main()
