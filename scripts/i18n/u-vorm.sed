# allauth's Dutch says "je"; the Routetool addresses users as "u" (issue 19). Applied to
# every msgstr of allauth's nl catalogue by scripts/i18n/allauth-nl.sh; order matters.
s/twee-\{0,1\}\n\{0,1\}factor-\{0,1\}\n\{0,1\}authenticatie/tweestapsverificatie/g
s/Twee-factor-authenticatie/Tweestapsverificatie/g
s/twee-factor-authenticatie/tweestapsverificatie/g
s/\bWeet je zeker dat je\b/Weet u zeker dat u/g
s/\bWil je\b/Wilt u/g
s/\bwil je\b/wilt u/g
s/\bHeb je\b/Heeft u/g
s/\bheb je\b/heeft u/g
s/\bJe hebt\b/U heeft/g
s/\bje hebt\b/u heeft/g
s/\bJe bent\b/U bent/g
s/\bje bent\b/u bent/g
s/\bBen je\b/Bent u/g
s/\bKun je\b/Kunt u/g
s/\bkun je\b/kunt u/g
s/\bHerken je\b/Herkent u/g
s/\bJe ontvang\b/U ontvangt/g
s/\bjij of iemand anders\b/u of iemand anders/g
s/\bjij, of iemand anders\b/u, of iemand anders/g
s/\bAls jij\b/Als u/g
s/\bMeld je\b/Meld u/g
s/\bmeld je\b/meld u/g
s/\bregistreer%(end_link)s je\b/registreer%(end_link)s u/g
s/\bYou kunt\b/U kunt/g
s/\bje je\b/u uw/g
s/\bje aan\b/u aan/g
s/\bje af\b/u af/g
s/\bdat je\b/dat u/g
s/\bals je\b/als u/g
s/\bAls je\b/Als u/g
s/\bwaarmee je\b/waarmee u/g
s/\bvoordat je\b/voordat u/g
s/\bzodat je\b/zodat u/g
s/\bkun je\b/kunt u/g
s/\bJe \(kunt\|moet\|ontvangt\|mag\|wordt\|gaat\|zult\|krijgt\)\b/U \1/g
s/\bje \(kunt\|moet\|ontvangt\|mag\|wordt\|gaat\|zult\|krijgt\)\b/u \1/g
s/\bJe kan\b/U kunt/g
s/\bje kan\b/u kunt/g
s/\bje gaat\b/u gaat/g
s/\bjouw\b/uw/g
s/\bJouw\b/Uw/g
s/\bJe\b/Uw/g
s/\bje\b/uw/g
s/\bjij\b/u/g
# Repairs where "je" was the object or a reflexive, not the possessive.
s/\bmag uw niet\b/mag u niet/g
s/\bkunt u uw aanmelden\b/kunt u zich aanmelden/g
s/\bkunt u uw via\b/kunt u zich via/g
s/%(end_link)s uw dan\b/%(end_link)s u dan/g
s/\bsturen uw een\b/sturen u een/g
s/\bom uw zonder\b/om zich zonder/g
s/\bMeld uw\b/Meld u/g
s/\bkunt uw momenteel\b/kunt zich momenteel/g
s/\bUw staat\b/U staat/g
s/\bWeet uw\b/Weet u/g
s/\bwordt uw de volgende\b/wordt u de volgende/g
s/\bAangezen uw\b/Aangezien u/g
s/\bwe uw wilde\b/we u wilden/g
s/\bjezelf\b/zich/g
