import { ApiPropertyOptional } from '@nestjs/swagger';
import { ArrayMaxSize, ArrayMinSize, IsArray, IsBoolean, IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';

export class StartSweepDto {
  @ApiPropertyOptional({ example: '192.168.1.0/24', description: 'IPv4 range probed host by host (unicast WS-Discovery, then ONVIF HTTP on `ports`); at most a /16' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  cidr?: string;
  @ApiPropertyOptional({ default: false, description: 'also send a multicast WS-Discovery probe (only when discovery.multicastInterface is configured)' })
  @IsOptional()
  @IsBoolean()
  multicast?: boolean;
  @ApiPropertyOptional({ type: [Number], description: 'ONVIF HTTP ports tried when a host does not answer WS-Discovery (default: config discovery.ports)' })
  @IsOptional()
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(16)
  @IsInt({ each: true })
  @Min(1, { each: true })
  @Max(65535, { each: true })
  ports?: number[];
}
