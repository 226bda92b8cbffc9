//! JSON Web Tokens as Postman's `jwt` and `asap` auth sign them. The expected tokens were
//! made by newman 6.2.2 (postman-runtime 7.39.1, which signs with the `jose` npm package) from
//! `collections/jwt.postman_collection.json`, with the keys below (made for this test with
//! `openssl genpkey`) and the secret below. HS256 and RS256 signatures are deterministic, so
//! the whole token must match; ECDSA's are not, so the ES256 token must match up to its
//! signature, which must verify.

use postman_clients::jwt;
use postman_clients::runtime::Operation as _;

const SECRET: &str = "a-string-secret-at-least-256-bits-long";

const RSA_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC67itj5ZlvlGL5
yCyA1/It3H+4P6eoP56Pe9YxY1z1LoGWWezMpWreljEU2aeBbBKmXgUSLI0iqWXt
w2S/Xr6MZQssDw0SfKs6E6eTr5eCxwYSooeiYrxp70rGLC18CEJDWtR16oOLBHYr
rtjNBjRxZwfZFWIvOBl+5PDJiH95vBzSB1aq7dIdIJL5+8aD+E7AjkOf5SQYaSmy
m5fkvP6u5m42P/XKcHUz2VqLYHann0vDAeZwGHTxnsM3i9AWu38BNV886/FDo4HN
eaeS5kthaGdvxPpw+XPGm8/FoqFwkrFKYHQBqks0drCJLhsMsy/AVXoCOrxJPMqm
wKxHKDyXAgMBAAECggEATufaSQDSE9d/MBDfOEPvZox9HTlBfDPeqpKLh615v8Ux
zlWHL5tj0TF05mg53NfRx4hIe7Nyn/8Bl6uzC1Ti+kBsxtxTmEonvQwu4JhuTDXW
ymbw+grTnaP03FIpoQGbdvMQW/XyMOxhNW9I9MJ5wKTNG0V7fJMhr/7T5T5JEQku
MpcQBDb/ytb7jpwnIdPK5AM50cRVv8WM6mjSoisi9XnVrfxSca7VoWALs7Wc7mYX
SLug1axNci9txCJ+zkUdZEc2GsT/zGWXL8Bf5Ibsy61/6HhRePAsKp7yp3LOSC+c
KBniyfef38hhqTkmNM64G44VQaH4TzUanNF5sd8IAQKBgQDa2z/N7rIKNAmJ86J1
uIdtn1a+OI0qJGFxTTKMLVlK+Xx9yMl3zvU7bJ2o+OY7MZBuJm3eW2Xd+N6MyzxJ
sHeeEXs53aTkR22HzhX6eFnVjIPWgu49RuWz2dam4sRMZvkERIWhc4yvL6g0oKgx
nPSYG7ERDfFe7p+FxRcx+VprVwKBgQDap9A+5VR4YkpajjLqDts3+F57SgtbyNbj
7UdQnJxcylH/dSTB9iOnMckezroKkDy2Ys6TZUUkiIxkJDOpe7KrZiJvFsWxxAuY
957Bo5dnl/Gi7vvPgzIOJmli3hR4Up1WVcCpp3xtKZkFJbiN8+swDWnFDT4FGQvt
zY/Ne+swwQKBgD6NCXhnL3WhF9TY0GcK/ZIER3uImDgiO8NxR/AuieXW1pDw0Twv
54E7cvg3Yz4p1VjWHPK/dqbxmVHuSGXbTOTdpDWOtrEUBScabMewnCRfy9KEi2jy
GXbE3QfHqkkX6TYiC3twlhX/7fhUrp23eWT8DSiNrp3uX6ORCCcdWI1zAoGAW8KX
Cv4Uv9yH1Y7dYQpRByENDXJaZ+9V9xsJlZPTrsEdPjZ78YYJGk4zV+Frg6laQTQf
+w1Bwf4n5JKot5R4u6NGChalal+aelxYXGz5yfii6DygokothHCsQ1htgL0y2Btu
mgP2nJ0bYWSeGbxmU6kdXRucjmkfb3GXyqUZY0ECgYEAkhhBDxO/aAe0OiuyE4Jv
O9itEQ5vd9t/WZkQBTNC8J9gbF0ZWjM/mlWaCu85RASyb6RZRW8RZtwZnpAvQfB2
xWkdxFJutMkLIuMe93f9tsLdDv0Osql6A4CYx6pPxkcsRni5Gqb+t5JBkpRMN5/2
0Hmkc/uAIxWGDGk+jKT1umc=
-----END PRIVATE KEY-----";

const EC_KEY: &str = "-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgYK2zzOK5T1SUKtYF
7fUrP1/d0uv2dZM+Mr39MMAEjc+hRANCAARPmMXerXC3Blu1aB4Yr0G1I6QTubht
Z6yf2lH3m+sCqpEHyYXwgrYPy/FOwoZEeq/j4KzFiumP5g+mhjZxinJA
-----END PRIVATE KEY-----";

const EC_PUBLIC_KEY: &str = "-----BEGIN PUBLIC KEY-----
MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAET5jF3q1wtwZbtWgeGK9BtSOkE7m4
bWesn9pR95vrAqqRB8mF8IK2D8vxTsKGRHqv4+CsxYrpj+YPpoY2cYpyQA==
-----END PUBLIC KEY-----";

fn client() -> jwt::Client {
    jwt::Client::new()
        .with_secret_variable("jwtSecret", SECRET)
        .with_secret_variable("privateKey", RSA_KEY)
        .with_secret_variable("ecKey", EC_KEY)
}

fn authorization(request: &http::Request<Vec<u8>>) -> &str {
    request.headers()["authorization"].to_str().expect("text")
}

#[test]
fn hs256_with_the_collections_header_and_payload_as_newman_signs_it() {
    let built = jwt::get_profile::Request::example()
        .build(&client())
        .expect("builds");
    assert_eq!(
        authorization(&built),
        "Bearer eyJ0eXAiOiJKV1QiLCJraWQiOiJocy0xIiwiYWxnIjoiSFMyNTYifQ.eyJzdWIiOiJ1LTQyIiwibmFtZSI6\
     IkppbGwiLCJhZG1pbiI6dHJ1ZSwic2NvcGVzIjpbInJlYWQiLCJ3cml0ZSJdfQ.h2727w-M_TYvyeO0XuOQAX0bitdPO1\
     CH78NrTDn_RZM"
    );
}

#[test]
fn rs256_in_the_query_as_newman_signs_it() {
    let built = jwt::service::sync_widgets::Request::example()
        .build(&client())
        .expect("builds");
    assert_eq!(
        built.uri().query(),
        Some(
            "dryRun=false&jwt=\
             eyJhbGciOiJSUzI1NiJ9.eyJpc3MiOiJiaWxsaW5nIiwiYXVkIjoid2lkZ2V0cyJ9.Boc5zpOAkSmC_mm7MxR8il9R\
     5pV7UDhsViIm1mQi1rlUnPNEu2dQIRdNpLUwSOhHGAIVyWpQnEVmKgLia1qFSir5zO-gZ0eJm5XwYorPivGe5POwsK\
     qP_0fDK3QOHrJ0t50QzxtYLGS6tLfF5JEq6LUZfEX6MYKMU1nshsXicV768WjRY9fdWxuhlJ1uY6zIu2VhTe3sOkfz\
     NlV-VZVWn8UJPwzPSeOOKUmi1Jc4aYuqDONKfIFCYEfT0I5TA0xVLDpYXB8pPsjiNMMkAJ78fFiiahRNiGP9m1Wauh\
     KqyNGvhuf0gugxtsXHz01cFRW_3h252VkyGrpBJi5ZsQG__w"
        )
    );
    assert!(built.headers().get("authorization").is_none());
}

#[test]
fn es256_without_a_prefix_matches_newman_up_to_its_signature_which_verifies() {
    let built = jwt::get_key_info::Request::example()
        .build(&client())
        .expect("builds");
    let token = authorization(&built);
    let newman = "eyJhbGciOiJFUzI1NiJ9.eyJpc3MiOiJrZXlzIn0.dbMQI3vCTGoz_0iQF23ct8_xAGpJjp6j3i0fUI9l27A23XHCLepXi1Aty3CEWRANY_N841RcTZLNqsKo_r4KcA";
    let signed_part = |token: &str| token.rsplit_once('.').map(|(head, _)| head.to_owned());
    assert_eq!(signed_part(token), signed_part(newman));
    let key = jsonwebtoken::DecodingKey::from_ec_pem(EC_PUBLIC_KEY.as_bytes()).expect("key");
    let mut validation = jsonwebtoken::Validation::new(jsonwebtoken::Algorithm::ES256);
    validation.required_spec_claims.clear();
    validation.validate_exp = false;
    jsonwebtoken::decode::<serde_json::Value>(token, &key, &validation).expect("verifies");
    jsonwebtoken::decode::<serde_json::Value>(newman, &key, &validation).expect("verifies");
}

#[test]
fn asap_with_claims_in_postmans_order_as_newman_signs_it() {
    let built = jwt::asap_status::Request::example()
        .build(&client())
        .expect("builds");
    assert_eq!(
        authorization(&built),
        "Bearer eyJhbGciOiJSUzI1NiIsImtpZCI6ImJpbGxpbmcva2V5LTEifQ.eyJqdGkiOiIwMDAwMDAwMC0wMDAwLTQw\
     MDAtODAwMC0wMDAwMDAwMDAwMDAiLCJpYXQiOjE3MDAwMDAwMDAsImV4cCI6MTcwMDAwMzYwMCwidGVhbSI6InBheW\
     1lbnRzIiwiaXNzIjoiYmlsbGluZyIsInN1YiI6ImJpbGxpbmciLCJhdWQiOiJ3aWRnZXRzIn0.LUceGE8Ybh2X6Zp1\
     GacOrSsNEPsF-HPcjF7wembWjzvxs87rFojsR7poq4Fv8pNcHfxiwZko7GrdqTxDXV1OGPAER-rBijpSd7lnnCGdQP\
     ppjp1lKXR1uRIMs0C5Rutg75KM0Gbx27EDjMdJ8mBhT3GBlfisMQflICbZL_Tg1uwCfk9MF5uAb95nWniFGown9a3F\
     WOCU1EpySgnlhqQpl1bdHaoFH5rHUR76RCaydmJTkbeoXb1l300ch-ZzvQHGlJFSrj4m_CLIC7ODK4BoJ-q0JUZy33\
     lJ3bY5KowQpTyVl1IsLdpYhmueKnhR4itR8rnnLthEF5wmGE303TtZtQ"
    );
}

#[test]
fn without_a_key_nothing_is_signed_and_bad_settings_are_errors() {
    let request = jwt::get_profile::Request::example();
    let unsigned = request.build(&jwt::Client::new()).expect("builds");
    assert!(unsigned.headers().get("authorization").is_none());
    let bad = client().with_auth_param("algorithm", "HS999");
    let error = request.build(&bad).expect_err("no such algorithm");
    assert!(error.to_string().contains("HS999"), "{error}");
    let not_json = client().with_auth_param("payload", "{not json");
    let error = request
        .build(&not_json)
        .expect_err("the payload is not JSON");
    assert!(error.to_string().contains("payload"), "{error}");
    let not_a_key = client().with_secret_variable("privateKey", "not a key");
    let error = jwt::asap_status::Request::example()
        .build(&not_a_key)
        .expect_err("not a PEM key");
    assert!(
        error.to_string().contains("JWT: the key for RS256"),
        "{error}"
    );
    assert!(!error.to_string().contains(SECRET));
}
