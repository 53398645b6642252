"""The jwcrypto side of tessera's interop tests (test/interop/jwcrypto.test.ts).

One invocation per direction, JSON on stdin, JSON on stdout:

  jwcrypto_peer.py produce   generate jwcrypto keys, sign with them (compact, flattened and one
                             general JWS) and with tessera's keys; probe what jwcrypto supports
  jwcrypto_peer.py verify    verify tokens tessera made; report each outcome, never stop early

Run with /usr/bin/python3 (python3-jwcrypto from Debian). An unexpected failure exits non-zero
with a traceback on stderr; a token that does not verify is an outcome, not a failure.
"""
import base64
import importlib.metadata
import json
import sys

from jwcrypto import jwk, jws
from jwcrypto.jwa import JWA


def b64u(data):
    return base64.urlsafe_b64encode(data).rstrip(b'=').decode('ascii')


def generate(spec):
    if spec['kty'] in ('oct', 'RSA'):
        return jwk.JWK.generate(kty=spec['kty'], size=spec['bits'])
    return jwk.JWK.generate(kty=spec['kty'], crv=spec['crv'])


def export(key):
    """(private JWK, what a verifier gets) as dicts."""
    private = json.loads(key.export_private() if key.has_private else key.export())
    if key['kty'] == 'oct':
        return private, private
    return private, json.loads(key.export_public())


def sign(payload, key, alg, serialization='compact'):
    token = jws.JWS(payload.encode('utf-8'))
    # RFC 7515 §4.1.9: typ is carried through by every library; kid when the key has one.
    protected = {'alg': alg, 'typ': 'JWT'}
    if key.get('kid'):
        protected['kid'] = key.get('kid')
    token.add_signature(key, alg=alg, protected=json.dumps(protected))
    return token.serialize(compact=(serialization == 'compact'))


def supports(case, keys):
    """True when jwcrypto itself can sign and verify this case: alg known, curve implemented."""
    try:
        JWA.signing_alg(case['alg'])
        spec_id = json.dumps(case['key'], sort_keys=True)
        if spec_id not in keys:
            keys[spec_id] = generate(case['key'])
        key = keys[spec_id]
        token = jws.JWS()
        token.deserialize(sign('probe', key, case['alg']))
        token.verify(key, alg=case['alg'])
        return True
    except Exception:  # noqa: BLE001 - any failure means "not supported" for the probe
        return False


def produce(request):
    probe_keys = {}
    supported = [c['id'] for c in request['probe'] if supports(c, probe_keys)]
    results = []
    own_keys = []
    for case in request['cases']:
        own = generate(case['key'])
        foreign = jwk.JWK(**case['foreign'])
        private, public = export(own)
        result = {
            'id': case['id'],
            'private': private,
            'public': public,
            'thumbprint': own.thumbprint(),
            'foreignThumbprint': foreign.thumbprint(),
            'compact': sign(case['payload'], own, case['alg']),
            'foreignCompact': sign(case['foreignPayload'], foreign, case['alg']),
            'flattened': json.loads(sign(case['payload'], own, case['alg'], 'json')),
        }
        own_keys.append((own, case['alg']))
        results.append(result)
    # RFC 7515 §7.2.1: one payload, one signature per key, in case order.
    general = jws.JWS(request['generalPayload'].encode('utf-8'))
    for key, alg in own_keys:
        general.add_signature(key, alg=alg, protected=json.dumps({'alg': alg, 'typ': 'JWT'}))
    return {
        'jwcrypto': importlib.metadata.version('jwcrypto'),
        'supported': supported,
        'results': results,
        'general': json.loads(general.serialize()),
    }


def verify(request):
    results = []
    for case in request['cases']:
        try:
            token = jws.JWS()
            token.deserialize(case['token'])
            token.verify(jwk.JWK(**case['key']), alg=case['alg'])
            results.append({'id': case['id'], 'ok': True, 'payload': b64u(token.payload)})
        except Exception as err:  # noqa: BLE001 - the outcome is reported, the caller asserts it
            results.append({'id': case['id'], 'ok': False, 'error': type(err).__name__})
    return {'results': results}


def main():
    ops = {'produce': produce, 'verify': verify}
    if len(sys.argv) != 2 or sys.argv[1] not in ops:
        sys.exit('usage: jwcrypto_peer.py produce|verify < request.json')
    json.dump(ops[sys.argv[1]](json.load(sys.stdin)), sys.stdout)


if __name__ == '__main__':
    main()
