/**
 * Mammography view codes (ViewCodeSequence) to the short names readers use. Both the legacy
 * SNOMED-RT ids (R-10242...) and SNOMED CT ids appear in the wild, so both are listed.
 */
const VIEW_BY_CODE: Readonly<Record<string, string>> = {
  'R-10242': 'CC',
  '399162004': 'CC',
  'R-10226': 'MLO',
  '399368009': 'MLO',
  'R-10224': 'ML',
  '399260004': 'ML',
  'R-10228': 'LM',
  '399352003': 'LM',
  'R-1024A': 'XCCL',
  '399099002': 'XCCL',
  'R-1024B': 'XCCM',
  '399192003': 'XCCM',
  'R-10230': 'FB',
  '399196006': 'FB',
  'R-102D0': 'SIO',
  '399188001': 'SIO',
  'R-40AAA': 'ISO',
  '441555000': 'ISO',
  'R-102CF': 'LMO',
  '399110001': 'LMO',
};

const VIEW_BY_MEANING: Readonly<Record<string, string>> = {
  'cranio-caudal': 'CC',
  'medio-lateral oblique': 'MLO',
  'medio-lateral': 'ML',
  'latero-medial': 'LM',
  'exaggerated cranio-caudal': 'XCCL',
  'cranio-caudal exaggerated laterally': 'XCCL',
  'cranio-caudal exaggerated medially': 'XCCM',
};

/** The short view name for a code value or code meaning, or null when it is not a known view. */
export function viewFromCode(codeValue: string | undefined, codeMeaning: string | undefined): string | null {
  if (codeValue && VIEW_BY_CODE[codeValue]) return VIEW_BY_CODE[codeValue];
  const meaning = codeMeaning?.trim().toLowerCase();
  return (meaning && VIEW_BY_MEANING[meaning]) || null;
}
