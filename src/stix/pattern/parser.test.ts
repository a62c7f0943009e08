import { parsePattern, PatternSyntaxError } from './parser';

const VALID = [
  "[file:name = 'a.exe']",
  "[file:hashes.'SHA-256' = 'e3b0c442']",
  "[file:hashes.MD5 = 'd41d8cd98f00b204e9800998ecf8427e' OR file:hashes.'SHA-1' = 'da39']",
  "[ipv4-addr:value = '198.51.100.1/32' OR ipv4-addr:value = '203.0.113.33/32']",
  "[email-message:from_ref.value MATCHES '.+\\\\@example\\\\.com$' AND email-message:body_multipart[*].body_raw_ref.name LIKE 'a%']",
  "[network-traffic:dst_port IN (80, 443, 8080)]",
  "[network-traffic:protocols[0] = 'tcp' AND network-traffic:dst_ref.value ISSUPERSET '198.51.100.0/24']",
  "[network-traffic:dst_ref.value NOT ISSUBSET '198.51.100.0/24']",
  "[file:size >= 10 AND file:size < 1024.5]",
  "[file:size > -1]",
  "[artifact:payload_bin = b'aGVsbG8=']",
  "[file:magic_number_hex = h'ffd8']",
  "[file:created = t'2020-01-01T00:00:00Z']",
  "[process:is_hidden = true]",
  "[process:name != 'cmd.exe']",
  "[file:name = 'it''s']".replace("''", "\\'"),
  "[x-acme-thing:x_tag = 'a']",
  "[windows-registry-key:key = 'HKEY_LOCAL_MACHINE\\\\Software']",
  "[file:extensions.'windows-pebinary-ext'.sections[*].entropy > 7.0]",
  "([file:name = 'a'] AND [file:name = 'b']) FOLLOWEDBY [ipv4-addr:value = '198.51.100.1'] WITHIN 10 SECONDS",
  "[file:name = 'a'] REPEATS 5 TIMES WITHIN 1.5 SECONDS",
  "[file:name = 'a'] START t'2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'",
  "[(file:name = 'a' OR file:name = 'b') AND file:size = 3]",
  "[file:name NOT IN ('a', 'b')]",
  "[process:environment_variables.PATH = '/bin']",
  "[file:name = 'x'] OR [file:name = 'y'] AND [file:name = 'z']",
  "[x509-certificate:x509_v3_extensions.basic_constraints = 'CA:TRUE']",
  "[file:name IN ()]",
  "[file:name == 'a' AND file:size <> 3]",
];

const INVALID: ReadonlyArray<readonly [string, RegExp]> = [
  ['', /expected '\['/],
  ["file:name = 'a'", /expected '\['/],
  ["[file:name = 'a'", /expected '\]'/],
  ["[file:name 'a']", /comparison operator/],
  ["[file:name = ]", /constant/],
  ["[file name = 'a']", /':'/],
  ["[file:name = 'a' AND unconverted_term:x.y]", /comparison operator/],
  ["[file:name = 'a'] WITHIN 0 SECONDS", /positive number/],
  ["[file:name = 'a'] WITHIN 5", /SECONDS/],
  ["[file:name = 'a'] REPEATS 2.5 TIMES", /positive integer/],
  ["[file:name = 'a'] START '2016-06-01T00:00:00Z' STOP t'2016-07-01T00:00:00Z'", /timestamp after START/],
  ["[file:created = t'2016-02-30T00:00:00Z']", /not a valid RFC 3339/],
  ["[file:magic_number_hex = h'fff']", /even number/],
  ["[artifact:payload_bin = b'@@']", /not base64/],
  ["[file:name = 'a\\n']", /invalid escape/],
  ["[file:name = 'unterminated]", /unterminated/],
  ["[file:size > true]", /orderable/],
  ["[file:name LIKE 5]", /string constant after LIKE/],
  ["[file:name IN ('a' 'b')]", /',' or '\)'/],
  ["[file:extensions.windows-pebinary-ext.sections[*].entropy > 7]", /hyphen and must be quoted/],
  ["[file:sections[x] = 1]", /list index/],
  ["[file:name = 'a'] [file:name = 'b']", /end of the pattern/],
  ["[file:name = 'a'] AND", /observation expression/],
  ["[file:name = 'a' OR]", /object path/],
  ["[file:name = 'a'] # comment", /unexpected character/],
];

describe('STIX pattern parser', () => {
  it.each(VALID)('parses %s', (pattern) => {
    expect(() => parsePattern(pattern)).not.toThrow();
  });

  it.each(INVALID)('refuses %s', (pattern, reason) => {
    let caught: unknown;
    try {
      parsePattern(pattern);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(PatternSyntaxError);
    expect((caught as PatternSyntaxError).message).toMatch(reason);
  });

  it('reports the object paths with their first property', () => {
    const { objectPaths } = parsePattern("[file:hashes.'SHA-256' = 'a' AND network-traffic:dst_ref.value = 'b'] OR [x-acme:'quoted key' = 1]");
    expect(objectPaths.map((p) => `${p.objectType}:${p.property}`)).toEqual(['file:hashes', 'network-traffic:dst_ref', 'x-acme:quoted key']);
  });

  it('gives the offset of the problem', () => {
    try {
      parsePattern("[file:name = 'a' AND file:size]");
      throw new Error('parsed');
    } catch (error) {
      expect(error).toBeInstanceOf(PatternSyntaxError);
      expect((error as PatternSyntaxError).offset).toBe(30);
    }
  });
});
