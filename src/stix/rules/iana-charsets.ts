/*
 * The IANA character set registry, as far as §6.3 (directory path_enc) and §6.7 (file name_enc) need it: "This value
 * MUST be specified using the corresponding name from the 2013-12-20 revision of the IANA character set registry. If
 * the preferred MIME name for a character set is defined, this value MUST be used; if it is not defined, then the Name
 * value from the registry MUST be used instead." So `latin1` (an alias) and `utf8` (no registered name at all) break
 * it although every decoder understands them.
 *
 * Each entry is the name the spec requires (the preferred MIME name, else the Name) followed by the other names the
 * registry lists for that character set. It holds every character set the WHATWG Encoding Standard decodes (what a
 * producer's tooling emits), the Unicode encodings and the common IBM code pages. Names are compared without case
 * (RFC 2978 §2.3: character set names are case-insensitive).
 */
const REGISTRY: ReadonlyArray<readonly string[]> = [
  ['US-ASCII', 'ANSI_X3.4-1968', 'iso-ir-6', 'ANSI_X3.4-1986', 'ISO_646.irv:1991', 'ISO646-US', 'us', 'IBM367', 'cp367', 'csASCII'],
  ['ISO-8859-1', 'ISO_8859-1:1987', 'iso-ir-100', 'ISO_8859-1', 'latin1', 'l1', 'IBM819', 'CP819', 'csISOLatin1'],
  ['ISO-8859-2', 'ISO_8859-2:1987', 'iso-ir-101', 'ISO_8859-2', 'latin2', 'l2', 'csISOLatin2'],
  ['ISO-8859-3', 'ISO_8859-3:1988', 'iso-ir-109', 'ISO_8859-3', 'latin3', 'l3', 'csISOLatin3'],
  ['ISO-8859-4', 'ISO_8859-4:1988', 'iso-ir-110', 'ISO_8859-4', 'latin4', 'l4', 'csISOLatin4'],
  ['ISO-8859-5', 'ISO_8859-5:1988', 'iso-ir-144', 'ISO_8859-5', 'cyrillic', 'csISOLatinCyrillic'],
  ['ISO-8859-6', 'ISO_8859-6:1987', 'iso-ir-127', 'ISO_8859-6', 'ECMA-114', 'ASMO-708', 'arabic', 'csISOLatinArabic'],
  ['ISO-8859-6-E', 'ISO_8859-6-E', 'csISO88596E'],
  ['ISO-8859-6-I', 'ISO_8859-6-I', 'csISO88596I'],
  ['ISO-8859-7', 'ISO_8859-7:1987', 'iso-ir-126', 'ISO_8859-7', 'ELOT_928', 'ECMA-118', 'greek', 'greek8', 'csISOLatinGreek'],
  ['ISO-8859-8', 'ISO_8859-8:1988', 'iso-ir-138', 'ISO_8859-8', 'hebrew', 'csISOLatinHebrew'],
  ['ISO-8859-8-E', 'ISO_8859-8-E', 'csISO88598E'],
  ['ISO-8859-8-I', 'ISO_8859-8-I', 'csISO88598I'],
  ['ISO-8859-9', 'ISO_8859-9:1989', 'iso-ir-148', 'ISO_8859-9', 'latin5', 'l5', 'csISOLatin5'],
  ['ISO-8859-10', 'iso-ir-157', 'l6', 'ISO_8859-10:1992', 'csISOLatin6', 'latin6'],
  ['ISO-8859-13', 'csISO885913'],
  ['ISO-8859-14', 'iso-ir-199', 'ISO_8859-14:1998', 'ISO_8859-14', 'latin8', 'iso-celtic', 'l8', 'csISO885914'],
  ['ISO-8859-15', 'ISO_8859-15', 'Latin-9', 'csISO885915'],
  ['ISO-8859-16', 'iso-ir-226', 'ISO_8859-16:2001', 'ISO_8859-16', 'latin10', 'l10', 'csISO885916'],
  ['UTF-8', 'csUTF8'],
  ['UTF-16', 'csUTF16'],
  ['UTF-16BE', 'csUTF16BE'],
  ['UTF-16LE', 'csUTF16LE'],
  ['UTF-32', 'csUTF32'],
  ['UTF-32BE', 'csUTF32BE'],
  ['UTF-32LE', 'csUTF32LE'],
  ['UTF-7', 'csUTF7'],
  ['CESU-8', 'csCESU8', 'csCESU-8'],
  ['SCSU', 'csSCSU'],
  ['BOCU-1', 'csBOCU1', 'csBOCU-1'],
  ['ISO-10646-UCS-2', 'csUnicode'],
  ['ISO-10646-UCS-4', 'csUCS4'],
  ['Shift_JIS', 'MS_Kanji', 'csShiftJIS'],
  ['Windows-31J', 'csWindows31J'],
  ['EUC-JP', 'Extended_UNIX_Code_Packed_Format_for_Japanese', 'csEUCPkdFmtJapanese'],
  ['ISO-2022-JP', 'csISO2022JP'],
  ['ISO-2022-JP-2', 'csISO2022JP2'],
  ['EUC-KR', 'csEUCKR'],
  ['KS_C_5601-1987', 'iso-ir-149', 'KS_C_5601-1989', 'KSC_5601', 'korean', 'csKSC56011987'],
  ['ISO-2022-KR', 'csISO2022KR'],
  ['GB2312', 'csGB2312'],
  ['GB_2312-80', 'iso-ir-58', 'chinese', 'csISO58GB231280'],
  ['GBK', 'CP936', 'MS936', 'windows-936', 'csGBK'],
  ['GB18030', 'csGB18030'],
  ['HZ-GB-2312'],
  ['ISO-2022-CN', 'csISO2022CN'],
  ['ISO-2022-CN-EXT', 'csISO2022CNEXT'],
  ['Big5', 'csBig5'],
  ['Big5-HKSCS', 'csBig5HKSCS'],
  ['KOI8-R', 'csKOI8R'],
  ['KOI8-U', 'csKOI8U'],
  ['TIS-620', 'csTIS620', 'ISO-8859-11'],
  ['VISCII', 'csVISCII'],
  ['macintosh', 'mac', 'csMacintosh'],
  ['windows-874', 'cswindows874'],
  ['windows-1250', 'cswindows1250'],
  ['windows-1251', 'cswindows1251'],
  ['windows-1252', 'cswindows1252'],
  ['windows-1253', 'cswindows1253'],
  ['windows-1254', 'cswindows1254'],
  ['windows-1255', 'cswindows1255'],
  ['windows-1256', 'cswindows1256'],
  ['windows-1257', 'cswindows1257'],
  ['windows-1258', 'cswindows1258'],
  ['IBM037', 'cp037', 'ebcdic-cp-us', 'ebcdic-cp-ca', 'ebcdic-cp-wt', 'ebcdic-cp-nl', 'csIBM037'],
  ['IBM437', 'cp437', '437', 'csPC8CodePage437'],
  ['IBM500', 'CP500', 'ebcdic-cp-be', 'ebcdic-cp-ch', 'csIBM500'],
  ['IBM850', 'cp850', '850', 'csPC850Multilingual'],
  ['IBM852', 'cp852', '852', 'csPCp852'],
  ['IBM855', 'cp855', '855', 'csIBM855'],
  ['IBM857', 'cp857', '857', 'csIBM857'],
  ['IBM860', 'cp860', '860', 'csIBM860'],
  ['IBM861', 'cp861', '861', 'cp-is', 'csIBM861'],
  ['IBM862', 'cp862', '862', 'csPC862LatinHebrew'],
  ['IBM863', 'cp863', '863', 'csIBM863'],
  ['IBM864', 'cp864', 'csIBM864'],
  ['IBM865', 'cp865', '865', 'csIBM865'],
  ['IBM866', 'cp866', '866', 'csIBM866'],
  ['IBM869', 'cp869', '869', 'cp-gr', 'csIBM869'],
  ['IBM1026', 'CP1026', 'csIBM1026'],
  ['IBM1047', 'IBM-1047', 'csIBM1047'],
];

/** Lower-cased name → the name §6 requires for that character set. */
const REQUIRED = new Map<string, string>();
/** Lower-cased registered alias → the name §6 requires instead. */
const ALIASES = new Map<string, string>();
for (const [required, ...aliases] of REGISTRY) {
  if (required === undefined) continue;
  REQUIRED.set(required.toLowerCase(), required);
  for (const alias of aliases) ALIASES.set(alias.toLowerCase(), required);
}

const problems = new Map<string, string | null>();

/**
 * Why `name` cannot stand as a `name_enc`/`path_enc` value, or undefined when it is the registry's required name.
 * Names the registry lists under another name get that name back; spellings only decoders know (`utf8`, `cp1252`)
 * get the registry's name of the encoding the decoder takes them for.
 */
export function charsetProblem(name: string): string | undefined {
  let problem = problems.get(name);
  if (problem === undefined) {
    problem = findProblem(name);
    if (problems.size < 10_000) problems.set(name, problem);
  }
  return problem ?? undefined;
}

function findProblem(name: string): string | null {
  const lower = name.toLowerCase();
  if (REQUIRED.has(lower)) return null;
  const preferred = ALIASES.get(lower);
  if (preferred !== undefined) return `'${name}' is another name of ${preferred} in the IANA character set registry; the registry's preferred MIME name (or its Name when it has none) must be used: '${preferred}'`;
  const decoded = decoderName(name);
  const registered = decoded === undefined ? undefined : (REQUIRED.get(decoded) ?? ALIASES.get(decoded));
  if (registered !== undefined) return `'${name}' is not a name in the IANA character set registry; the registry's name for this encoding is '${registered}'`;
  return `'${name}' is not a name in the IANA character set registry`;
}

/** The WHATWG Encoding Standard name a decoder gives `label`, lower-cased, if it knows the label at all. */
function decoderName(label: string): string | undefined {
  try {
    return new TextDecoder(label).encoding.toLowerCase();
  } catch {
    return undefined;
  }
}
