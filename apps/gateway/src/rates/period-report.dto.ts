import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsIn, IsOptional } from 'class-validator';
import { RatesQueryDto } from './rates.dto';

export const REPORT_FORMATS = ['json', 'csv', 'html'] as const;
export const REPORT_LANGS = ['zh-CN', 'en'] as const;

/** GET /api/reports/period: the rates' query plus the file's format and the reader's language. */
export class PeriodReportQueryDto extends RatesQueryDto {
  @ApiPropertyOptional({ enum: REPORT_FORMATS, default: 'json', description: 'json; csv (an attachment, UTF-8 with BOM, formula cells neutralised); html (a printable page, self-contained)' })
  @IsOptional() @IsIn(REPORT_FORMATS) format?: (typeof REPORT_FORMATS)[number];
  @ApiPropertyOptional({ enum: REPORT_LANGS, default: 'zh-CN', description: "the HTML page's second language: Chinese always comes first; en adds the English words beside it" })
  @IsOptional() @IsIn(REPORT_LANGS) lang?: (typeof REPORT_LANGS)[number];
}
